import type { Metadata } from 'next';
import { ForwardsLive } from '@/components/forwards/ForwardsLive';
import { Banner } from '@/components/ui/Banner';
import { PageHeader } from '@/components/ui/PageHeader';
import { requireSession } from '@/lib/auth/request';
import { headers } from 'next/headers';
import { hostClient } from '@/lib/host-api/client';
import { deviceAddress } from '@/lib/http';

export const metadata: Metadata = { title: 'Forwards' };

export default async function ForwardsPage() {
  await requireSession();
  const client = hostClient();
  const [forwards, status, device] = await Promise.all([
    client.listForwards(),
    client.status({ fresh: true }),
    headers().then(deviceAddress),
  ]);
  return (
    <>
      <PageHeader title="Forwards" description="Host ports opened to the LAN: what is desired and what the kernel has." />
      {forwards.ok ? (
        <ForwardsLive initial={forwards.data} initialStatus={status.ok ? status.data : null} device={device} />
      ) : (
        <Banner title="The host is not answering">{forwards.error}</Banner>
      )}
    </>
  );
}
