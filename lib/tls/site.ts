import 'server-only';
import fs from 'node:fs';
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
  // Outside a request (an Expose finished after a crash): the host's LAN address, over HTTPS.
  const h = await headers().catch(() => null);
  const scheme = !h || isHttps(h) ? 'https' : 'http';
  return {
    dashboard: `${scheme}://${h?.get('host') ?? `${env().lanAddress ?? gateHost}:${port}`}`,
    gate: `${scheme}://${gateHost}:${port}`,
    ca: fs.readFileSync(tlsFiles(env().dataDir).caCert, 'utf8'),
  };
}
