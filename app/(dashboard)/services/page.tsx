import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/EmptyState';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Services' };

export default async function ServicesPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Services" description="Services, their node ports and the nodes their pods run on." />
      <EmptyState title="No services to show">Services appear here once labgate is connected to the cluster&apos;s API server.</EmptyState>
    </>
  );
}
