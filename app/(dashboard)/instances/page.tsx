import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/EmptyState';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Instances' };

export default async function InstancesPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Instances" description="Multipass VMs on this host: state, addresses, image and resources." />
      <EmptyState title="No instances to show">Multipass instances appear here once labgate can reach the Multipass daemon.</EmptyState>
    </>
  );
}
