import 'server-only';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { hostClient } from '@/lib/host-api/client';
import { renewalDue } from '@/lib/tls/certificates.mts';
import { siteCertificate } from '@/lib/tls/site';

// An actor the host API takes from the dashboard's role (lower-case, digits, dashes).
const RENEWAL_ACTOR = 'certificate-renewal';
const CHECK_EVERY_MS = 6 * 3_600_000;

/**
 * Gives every HTTPS forward whose certificate ends within 30 days a new one from the same CA,
 * through the host API (checked, audited, loaded into Caddy like any edit). Answers the names
 * renewed; one forward the host refuses does not stop the others.
 */
export async function renewSiteCertificates(now = new Date()): Promise<{ renewed: string[]; failed: string[] }> {
  const host = hostClient(RENEWAL_ACTOR);
  const listed = await host.listForwards();
  if (!listed.ok) throw new Error(listed.error);
  const renewed: string[] = [];
  const failed: string[] = [];
  for (const f of listed.data) {
    if (!f.lanName || !f.httpsUntil || !renewalDue(f.httpsUntil, now)) continue;
    const res = await host.updateForward({ id: f.id, tls: await siteCertificate(f.lanName, now) });
    if (res.ok) renewed.push(mdnsName(f.lanName));
    else failed.push(`${mdnsName(f.lanName)}: ${res.error}`);
  }
  return { renewed, failed };
}

/** The HTTPS exposures' certificates renewed at start and every 6 hours after, by the role that holds the CA. */
export class CertificateRenewal {
  private timer: NodeJS.Timeout | null = null;

  start(): void {
    void this.pass();
    this.timer = setInterval(() => void this.pass(), CHECK_EVERY_MS).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async pass(): Promise<void> {
    try {
      const { renewed, failed } = await renewSiteCertificates();
      if (renewed.length) console.log(`labgate: renewed the HTTPS certificate of ${renewed.join(', ')}`);
      for (const f of failed) console.error(`labgate: could not renew the HTTPS certificate of ${f}`);
    } catch (e) {
      console.error(`labgate: certificate renewal failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
