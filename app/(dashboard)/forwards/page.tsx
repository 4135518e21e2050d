import type { Metadata } from 'next';
import { EmptyState } from '@/components/ui/EmptyState';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';

export const metadata: Metadata = { title: 'Forwards' };

export default async function ForwardsPage() {
  await requireSession();
  return (
    <>
      <PageHeader title="Forwards" description="Host ports opened to the LAN: what is desired and what the kernel has." />
      <EmptyState title="No forwards yet">A forward opens a port of this host to the LAN and sends it on to a VM, a node port or a service.</EmptyState>
    </>
  );
}
