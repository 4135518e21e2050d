import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/store/test-db';
import { cookieAdmits, COOKIE_TTL_MS, issueToken, redeemToken, TOKEN_TTL_MS } from './exposure-sign-in';
import { createSession, deleteAllSessions, deleteSession, readSession } from './session';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

function signedIn(ttl = 12 * HOUR) {
  const db = testDb();
  const { id } = createSession(db, ttl, T0);
  return { db, id, session: readSession(db, id, T0)! };
}

describe('exposure sign-in', () => {
  it('trades a token once for a cookie on its own name, which admits until it expires', () => {
    const { db, session } = signedIn();
    const { token, firstOpening } = issueToken(db, session, 'grafana.local', '/d/home?x=1', T0);
    expect(firstOpening).toBe(true);
    expect(redeemToken(db, token, 'jenkins.local', T0)).toBeNull(); // another name's gate: refused, and the token is spent
    const again = issueToken(db, session, 'grafana.local', '/d/home?x=1', T0);
    expect(again.firstOpening).toBe(false); // the audit log says "opened" once per session and name
    const redeemed = redeemToken(db, again.token, 'grafana.local', T0 + 1_000)!;
    expect(redeemed).toEqual({
      cookie: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      expiresAt: T0 + 1_000 + COOKIE_TTL_MS,
      next: '/d/home?x=1',
    });
    expect(redeemToken(db, again.token, 'grafana.local', T0 + 2_000)).toBeNull(); // one time only
    expect(cookieAdmits(db, redeemed.cookie, 'grafana.local', T0 + 2_000)).toBe(true);
    expect(cookieAdmits(db, redeemed.cookie, 'jenkins.local', T0 + 2_000)).toBe(false);
    expect(cookieAdmits(db, redeemed.cookie, 'grafana.local', redeemed.expiresAt)).toBe(false);
  });

  it('a token is good for a minute only', () => {
    const { db, session } = signedIn();
    const { token } = issueToken(db, session, 'grafana.local', '/', T0);
    expect(redeemToken(db, token, 'grafana.local', T0 + TOKEN_TTL_MS)).toBeNull();
  });

  it.each([
    ['logout', (db: ReturnType<typeof testDb>, id: string) => deleteSession(db, id)],
    ['a password reset', (db: ReturnType<typeof testDb>) => void deleteAllSessions(db)],
  ])('%s ends every token and cookie of the session', (_, end) => {
    const { db, id, session } = signedIn();
    const cookie = redeemToken(db, issueToken(db, session, 'grafana.local', '/', T0).token, 'grafana.local', T0)!.cookie;
    const { token } = issueToken(db, session, 'jenkins.local', '/', T0);
    end(db, id);
    expect(cookieAdmits(db, cookie, 'grafana.local', T0)).toBe(false);
    expect(redeemToken(db, token, 'jenkins.local', T0)).toBeNull();
    expect(db.prepare('SELECT COUNT(*) AS n FROM exposure_grants').get()).toEqual({ n: 0 });
  });

  it('never outlives its session', () => {
    const { db, session } = signedIn(HOUR / 2);
    const redeemed = redeemToken(db, issueToken(db, session, 'grafana.local', '/', T0).token, 'grafana.local', T0)!;
    expect(redeemed.expiresAt).toBe(session.expiresAt);
    expect(cookieAdmits(db, redeemed.cookie, 'grafana.local', session.expiresAt)).toBe(false);
  });

  it.each([undefined, '', 'short', 'x'.repeat(44), `${'a'.repeat(42)}=`, "' OR 1=1 --"])('refuses a malformed value %j', (value) => {
    const { db } = signedIn();
    expect(cookieAdmits(db, value, 'grafana.local', T0)).toBe(false);
    expect(redeemToken(db, value ?? '', 'grafana.local', T0)).toBeNull();
  });

  it('stores only hashes', () => {
    const { db, session } = signedIn();
    const { token } = issueToken(db, session, 'grafana.local', '/', T0);
    const { cookie } = redeemToken(db, issueToken(db, session, 'grafana.local', '/', T0).token, 'grafana.local', T0)!;
    const rows = JSON.stringify(db.prepare('SELECT * FROM exposure_grants').all());
    expect(rows).not.toContain(token);
    expect(rows).not.toContain(cookie);
  });
});
