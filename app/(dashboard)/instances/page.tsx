import type { Metadata } from 'next';
import { InstancesTable } from '@/components/instances/InstancesTable';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { instancesView } from '@/lib/views';

export const metadata: Metadata = { title: 'Instances' };

export default async function InstancesPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Instances" description="Multipass VMs on this host: state, addresses, image and resources." />
      <InstancesTable initial={await instancesView()} />
    </>
  );
}
