import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';

/**
 * Over HTTPS the cookie is `__Host-`: Secure, for this host only, path / — a service on another
 * port or a subdomain cannot set or shadow it. Plain HTTP (loopback, LABGATE_HTTP=1) cannot hold
 * a Secure cookie, so it gets the plain name, which HTTPS never reads.
 */
export const SESSION_COOKIE = { secure: '__Host-labgate_session', plain: 'labgate_session' } as const;
export const sessionCookieName = (secure: boolean) => (secure ? SESSION_COOKIE.secure : SESSION_COOKIE.plain);

/** Session ids are 32 random bytes, base64url: exactly 43 characters of [A-Za-z0-9_-]. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface Session {
  key: string; // the stored hash of the id: names the session without revealing it
  expiresAt: number;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');

export function createSession(db: Database, ttlMs: number, now = Date.now()): { id: string; expiresAt: number } {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = now + ttlMs;
  db.prepare('INSERT INTO sessions (id_hash, created_at, expires_at) VALUES (?, ?, ?)').run(hashId(id), now, expiresAt);
  return { id, expiresAt };
}

/** The live session for a cookie value, or null for a missing, malformed, unknown or expired one. */
export function readSession(db: Database, id: string | undefined, now = Date.now()): Session | null {
  if (!id || !SESSION_ID.test(id)) return null;
  const row = db.prepare('SELECT id_hash AS key, expires_at AS expiresAt FROM sessions WHERE id_hash = ?').get(hashId(id)) as
    Session | undefined;
  if (!row) return null;
  if (row.expiresAt <= now) {
    deleteSession(db, id);
    return null;
  }
  return row;
}

export function deleteSession(db: Database, id: string): void {
  if (SESSION_ID.test(id)) db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashId(id));
}

/** Ends every session (password reset). Returns how many there were. */
export function deleteAllSessions(db: Database): number {
  return db.prepare('DELETE FROM sessions').run().changes;
}

export function purgeExpiredSessions(db: Database, now = Date.now()): number {
  return db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
}
