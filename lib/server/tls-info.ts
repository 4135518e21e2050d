import 'server-only';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { headers } from 'next/headers';
import { hostOf } from '@/lib/domain/network/hosts';
import { isHttps } from '@/lib/http';

/** labgate's own CA, when the server made it (scripts/start.mts): offered on the login page so browsers can trust it. */
export function ownCa(): { pem: string; fingerprint: string } | null {
  const file = process.env.LABGATE_CA_CERT;
  if (!file) return null;
  try {
    const pem = fs.readFileSync(file, 'utf8');
    return { pem, fingerprint: new X509Certificate(pem).fingerprint256 };
  } catch {
    return null;
  }
}

/** True when this page came over plain HTTP from another machine (LABGATE_HTTP=1): worth a warning. */
export async function plainHttpOverNetwork(): Promise<boolean> {
  const h = await headers();
  if (isHttps(h)) return false;
  const host = hostOf(h.get('host') ?? '') ?? '';
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1');
}
