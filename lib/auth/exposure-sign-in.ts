import { createHash, randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Session } from './session';

/**
 * "Sign in with labgate" in front of an HTTPS exposure. The dashboard's session cookie never
 * leaves the dashboard: a signed-in person is sent to the exposure with a one-time token in the
 * URL, which the exposure's own name trades for its own cookie. Tokens and cookies are stored as
 * hashes and end with the session they came from (ON DELETE CASCADE: logout, expiry, reset).
 */

export const TOKEN_TTL_MS = 60_000;
export const COOKIE_TTL_MS = 3_600_000; // short: a new one is a redirect away while the session lives

/** The path on the exposure's name where a token is traded for the cookie; never proxied. */
export const SIGN_IN_PATH = '/.labgate/sign-in';
/** The exposure's cookie: Secure, this name only, path / (the exposure is HTTPS). */
export const EXPOSURE_COOKIE = '__Host-labgate_exposure';

const VALUE = /^[A-Za-z0-9_-]{43}$/;
const hash = (value: string) => createHash('sha256').update(value).digest('hex');

/** A one-time token for this session to open `name` at `next`, and whether the session opens that name for the first time. */
export function issueToken(db: Database, session: Session, name: string, next: string, now = Date.now()) {
  const token = randomBytes(32).toString('base64url');
  const firstOpening = db.transaction(() => {
    db.prepare('DELETE FROM exposure_grants WHERE expires_at <= ?').run(now); // the spent ones go as new ones come
    db.prepare("INSERT INTO exposure_grants (id_hash, kind, session_hash, name, next, expires_at) VALUES (?, 'token', ?, ?, ?, ?)").run(
      hash(token),
      session.key,
      name,
      next,
      Math.min(now + TOKEN_TTL_MS, session.expiresAt),
    );
    return db.prepare('INSERT OR IGNORE INTO exposure_openings (session_hash, name) VALUES (?, ?)').run(session.key, name).changes === 1;
  })();
  return { token, firstOpening };
}

/** Trades a token (once) for a cookie on the same name; null for an unknown, used, expired or other name's token. */
export function redeemToken(db: Database, token: string, name: string, now = Date.now()) {
  if (!VALUE.test(token)) return null;
  return db.transaction(() => {
    const row = db
      .prepare(
        `SELECT g.session_hash AS session, g.next AS next, MIN(g.expires_at, s.expires_at) AS until, s.expires_at AS sessionEnds
           FROM exposure_grants g JOIN sessions s ON s.id_hash = g.session_hash
          WHERE g.id_hash = ? AND g.kind = 'token' AND g.name = ?`,
      )
      .get(hash(token), name) as { session: string; next: string; until: number; sessionEnds: number } | undefined;
    db.prepare("DELETE FROM exposure_grants WHERE id_hash = ? AND kind = 'token'").run(hash(token));
    if (!row || row.until <= now) return null;
    const cookie = randomBytes(32).toString('base64url');
    const expiresAt = Math.min(now + COOKIE_TTL_MS, row.sessionEnds);
    db.prepare("INSERT INTO exposure_grants (id_hash, kind, session_hash, name, next, expires_at) VALUES (?, 'cookie', ?, ?, '', ?)").run(
      hash(cookie),
      row.session,
      name,
      expiresAt,
    );
    return { cookie, expiresAt, next: row.next };
  })();
}

/** Whether this cookie value lets its bearer into `name` now: its own name, not expired, its session still live. */
export function cookieAdmits(db: Database, cookie: string | undefined, name: string, now = Date.now()): boolean {
  if (!cookie || !VALUE.test(cookie)) return false;
  const row = db
    .prepare(
      `SELECT MIN(g.expires_at, s.expires_at) AS until FROM exposure_grants g JOIN sessions s ON s.id_hash = g.session_hash
        WHERE g.id_hash = ? AND g.kind = 'cookie' AND g.name = ?`,
    )
    .get(hash(cookie), name) as { until: number } | undefined;
  return !!row && row.until > now;
}
