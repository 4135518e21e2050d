import 'server-only';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { env } from '@/lib/env';
import type { SiteTls } from '@/lib/schemas/names';
import { issueSiteCertificate } from './certificates.mts';

/** A certificate for NAME.local from labgate's CA, made in the role that holds the CA's key. */
export const siteCertificate = (lanName: string, now = new Date()): Promise<SiteTls> =>
  issueSiteCertificate(env().dataDir, mdnsName(lanName), now);
