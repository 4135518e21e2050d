import type { Metadata } from 'next';
import { ActivityTable } from '@/components/activity/ActivityTable';
import { Banner } from '@/components/ui/Banner';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { hostClient } from '@/lib/host-api/client';
import { AUDIT_PAGE_SIZE } from '@/lib/schemas/state';

export const metadata: Metadata = { title: 'Activity' };

export default async function ActivityPage() {
  await requireSession();
  const audit = await hostClient().audit();
  return (
    <>
      <PageHeader title="Activity" description="Who changed what, when, and how it went." />
      {audit.ok ? (
        <ActivityTable initial={audit.data} pageSize={AUDIT_PAGE_SIZE} />
      ) : (
        <Banner title="The host is not answering">{audit.error}</Banner>
      )}
    </>
  );
}
