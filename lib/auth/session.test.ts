import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/store/test-db';
import { resetAdminPassword } from './admin';
import { createSession, deleteAllSessions, deleteSession, purgeExpiredSessions, readSession } from './session';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

describe('sessions', () => {
  it('reads back a new session until it expires', () => {
    const db = testDb();
    const { id, expiresAt } = createSession(db, HOUR, T0);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(T0 + HOUR);
    expect(readSession(db, id, T0 + HOUR - 1)).toEqual({ key: expect.stringMatching(/^[0-9a-f]{64}$/), expiresAt });
    expect(readSession(db, id, T0 + HOUR)).toBeNull();
    // an expired session is gone for good, even if the clock were to go back
    expect(readSession(db, id, T0)).toBeNull();
  });

  it('stores only a hash of the id', () => {
    const db = testDb();
    const { id } = createSession(db, HOUR, T0);
    const rows = db.prepare('SELECT * FROM sessions').all() as Record<string, unknown>[];
    expect(JSON.stringify(rows)).not.toContain(id);
  });

  it.each([
    { name: 'missing', cookie: undefined },
    { name: 'empty', cookie: '' },
    { name: 'too short', cookie: 'abc' },
    { name: 'bad characters', cookie: `${'A'.repeat(42)}!` },
    { name: 'unknown but well-formed', cookie: 'A'.repeat(43) },
  ])('rejects a $name cookie', ({ cookie }) => {
    const db = testDb();
    createSession(db, HOUR, T0);
    expect(readSession(db, cookie, T0)).toBeNull();
  });

  it('rejects a tampered id', () => {
    const db = testDb();
    const { id } = createSession(db, HOUR, T0);
    const tampered = (id[0] === 'A' ? 'B' : 'A') + id.slice(1);
    expect(readSession(db, tampered, T0)).toBeNull();
  });

  it('logout ends only that session', () => {
    const db = testDb();
    const a = createSession(db, HOUR, T0);
    const b = createSession(db, HOUR, T0);
    deleteSession(db, a.id);
    expect(readSession(db, a.id, T0)).toBeNull();
    expect(readSession(db, b.id, T0)).not.toBeNull();
  });

  it('a password reset ends every session', async () => {
    const db = testDb();
    const ids = [createSession(db, HOUR), createSession(db, HOUR)].map((s) => s.id);
    const { sessionsEnded } = await resetAdminPassword(db, 'a new password');
    expect(sessionsEnded).toBe(2);
    for (const id of ids) expect(readSession(db, id)).toBeNull();
  });

  it('purges only expired sessions', () => {
    const db = testDb();
    createSession(db, HOUR, T0);
    const live = createSession(db, 3 * HOUR, T0);
    expect(purgeExpiredSessions(db, T0 + 2 * HOUR)).toBe(1);
    expect(readSession(db, live.id, T0 + 2 * HOUR)).not.toBeNull();
    expect(deleteAllSessions(db)).toBe(1);
  });
});
