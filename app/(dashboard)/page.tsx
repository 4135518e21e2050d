import type { Metadata } from 'next';
import { ExposeButton } from '@/components/expose/ExposeDialog';
import { ExposuresList } from '@/components/expose/ExposuresList';
import { OverviewLive } from '@/components/overview/OverviewLive';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { exposures } from '@/lib/expose/steps';
import { overviewView } from '@/lib/views';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  await requireSession();
  const [overview, exposed] = await Promise.all([overviewView(), exposures()]);
  return (
    <>
      <PageHeader
        title="Overview"
        description="Your lab at a glance: VMs, nodes, services and the forwards that reach them."
        actions={<ExposeButton target={{ kind: 'grafana' }} label="Expose Grafana" />}
      />
      <div className="mb-6">
        <ExposuresList items={exposed.map((e) => ({ id: e.id, title: e.plan.title, url: e.url }))} />
      </div>
      <OverviewLive initial={overview} />
    </>
  );
}
