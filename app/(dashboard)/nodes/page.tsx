import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/EmptyState';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Nodes' };

export default async function NodesPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Nodes" description="Kubernetes nodes, their labels and the VM each one runs in." />
      <EmptyState title="No nodes to show">Nodes appear here once labgate is connected to the cluster&apos;s API server.</EmptyState>
    </>
  );
}
