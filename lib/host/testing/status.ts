import type { HostService } from '@/lib/host/service';
import type { HostStatus } from '@/lib/wire';

/** The host's status for a test that expects the kernel to be readable: its failure fails the test. */
export async function hostStatus(host: HostService): Promise<HostStatus> {
  const res = await host.status();
  if (!res.ok) throw new Error(`the host's status could not be read: ${res.error}`);
  return res.data;
}
