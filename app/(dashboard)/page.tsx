import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/EmptyState';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Overview" description="Your lab at a glance: VMs, nodes, services and the forwards that reach them." />
      <EmptyState title="Nothing connected yet">
        The overview fills in once labgate can reach Multipass and the cluster&apos;s API server.
      </EmptyState>
    </>
  );
}
