import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/store/test-db';
import { ensureAdminPassword, resetAdminPassword, verifyAdminPassword } from './admin';

describe('admin password', () => {
  it('generates one on first start only, and keeps only its hash', async () => {
    const db = testDb();
    const first = await ensureAdminPassword(db, undefined);
    expect(first.generated).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await verifyAdminPassword(db, first.generated!)).toBe(true);
    expect(JSON.stringify(db.prepare('SELECT * FROM settings').all())).not.toContain(first.generated);
    expect((await ensureAdminPassword(db, undefined)).generated).toBeNull();
    expect(await verifyAdminPassword(db, first.generated!)).toBe(true);
  });

  it('takes the password from the environment, replacing a different stored one', async () => {
    const db = testDb();
    await ensureAdminPassword(db, undefined);
    expect((await ensureAdminPassword(db, 'from the environment')).generated).toBeNull();
    expect(await verifyAdminPassword(db, 'from the environment')).toBe(true);
    await ensureAdminPassword(db, 'changed in the environment');
    expect(await verifyAdminPassword(db, 'from the environment')).toBe(false);
    expect(await verifyAdminPassword(db, 'changed in the environment')).toBe(true);
  });

  it('matches nothing before a password exists', async () => {
    expect(await verifyAdminPassword(testDb(), '')).toBe(false);
  });

  it('reset sets the given password, or generates one', async () => {
    const db = testDb();
    await ensureAdminPassword(db, 'old password');
    await resetAdminPassword(db, 'brand new password');
    expect(await verifyAdminPassword(db, 'old password')).toBe(false);
    expect(await verifyAdminPassword(db, 'brand new password')).toBe(true);
    const { password } = await resetAdminPassword(db);
    expect(await verifyAdminPassword(db, password)).toBe(true);
    expect(password).not.toBe('brand new password');
  });
});
