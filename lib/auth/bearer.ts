import 'server-only';
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Whether `Authorization: Bearer …` carries this token; compared as digests, in constant time whatever the lengths. */
export function bearerMatches(header: string | null, token: string | null): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  return !!token && timingSafeEqual(digest(given), digest(token));
}
