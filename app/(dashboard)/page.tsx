import type { Metadata } from 'next';
import { OverviewLive } from '@/components/overview/OverviewLive';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { overviewView } from '@/lib/state';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Overview" description="Your lab at a glance: VMs, nodes, services and the forwards that reach them." />
      <OverviewLive initial={await overviewView()} />
    </>
  );
}
