import type { Metadata } from 'next';
import { NodesTable } from '@/components/nodes/NodesTable';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { nodesView } from '@/lib/views';

export const metadata: Metadata = { title: 'Nodes' };

export default async function NodesPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Nodes" description="Kubernetes nodes, their labels and the VM each one runs in." />
      <NodesTable initial={await nodesView()} />
    </>
  );
}
