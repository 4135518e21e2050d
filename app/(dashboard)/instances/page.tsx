import type { Metadata } from 'next';
import { InstancesTable } from '@/components/instances/InstancesTable';
import { LaunchDialog } from '@/components/instances/LaunchDialog';
import { LaunchesPanel } from '@/components/instances/LaunchesPanel';
import { allTemplates } from '@/lib/domain/cluster/templates';
import { db } from '@/lib/store/db';
import { TemplateStore } from '@/lib/store/templates';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { instancesView } from '@/lib/views';

export const metadata: Metadata = { title: 'Instances' };

export default async function InstancesPage() {
  await requireSession();
  return (
    <>
      <PageHeader
        title="Instances"
        description="Multipass VMs on this host: state, addresses, image and resources."
        actions={<LaunchDialog templates={allTemplates(new TemplateStore(db()).list())} />}
      />
      <LaunchesPanel />
      <InstancesTable initial={await instancesView()} />
    </>
  );
}
