import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/EmptyState';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Activity' };

export default async function ActivityPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Activity" description="Who changed what, when, and how it went." />
      <EmptyState title="No activity yet">Every change made through labgate is recorded here.</EmptyState>
    </>
  );
}
