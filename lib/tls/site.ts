import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import { headers } from 'next/headers';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { env } from '@/lib/env';
import { isHttps } from '@/lib/http';
import type { SignIn, SiteTls } from '@/lib/schemas/names';
import { issueSiteCertificate, tlsFiles } from './certificates.mts';

/** A certificate for NAME.local from labgate's CA, made in the role that holds the CA's key. */
export const siteCertificate = (lanName: string, now = new Date()): Promise<SiteTls> =>
  issueSiteCertificate(env().dataDir, mdnsName(lanName), now);

/**
 * How an exposure signs people in with this dashboard: its origin as the person asking opens it
 * (where the browser signs in), this server on the host's loopback (where Caddy asks), and the CA
 * its certificate comes from. For actions: it reads the request's Host.
 */
export async function signInVia(): Promise<SignIn> {
  const listen = process.env.HOSTNAME ?? '0.0.0.0';
  const gateHost = /^\d+\.\d+\.\d+\.\d+$/.test(listen) && listen !== '0.0.0.0' ? listen : '127.0.0.1';
  const port = process.env.PORT ?? '3000';
  // Outside a request (an annotation's Expose, one finished after a crash): the dashboard's LAN address or name, over HTTPS.
  const h = await headers().catch(() => null);
  const scheme = !h || isHttps(h) ? 'https' : 'http';
  const { lanAddress, lanName } = env();
  const lanHost = lanAddress ?? `${lanName ?? os.hostname().toLowerCase()}.local`;
  return {
    dashboard: `${scheme}://${h?.get('host') ?? `${lanHost}:${port}`}`,
    gate: `${scheme}://${gateHost}:${port}`,
    ca: fs.readFileSync(tlsFiles(env().dataDir).caCert, 'utf8'),
  };
}
