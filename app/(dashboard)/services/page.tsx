import type { Metadata } from 'next';
import { ServicesTable } from '@/components/services/ServicesTable';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { servicesView } from '@/lib/views';

export const metadata: Metadata = { title: 'Services' };

// More than a screenful; the rest comes from /api/state/services once the page is up.
const FIRST_PAINT_ROWS = 200;

export default async function ServicesPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Services" description="Services, their node ports and the nodes their pods run on." />
      <ServicesTable initial={await servicesView(undefined, FIRST_PAINT_ROWS)} />
    </>
  );
}
