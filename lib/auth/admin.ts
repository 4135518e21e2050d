import type { Database } from 'better-sqlite3';
import { generatePassword, hashPassword, verifyPassword } from './password';
import { deleteAllSessions } from './session';

const KEY = 'admin_password_hash';

function storedHash(db: Database): string | undefined {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
  return row?.value;
}

function storeHash(db: Database, hash: string): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(KEY, hash, Date.now());
}

/**
 * Makes sure the admin account has a password. A password from the environment wins and
 * replaces a different stored one; otherwise one is generated the first time and returned
 * (so the caller can print it once). Only the hash is ever stored.
 */
export async function ensureAdminPassword(db: Database, fromEnv: string | undefined): Promise<{ generated: string | null }> {
  const current = storedHash(db);
  if (fromEnv !== undefined) {
    if (!current || !(await verifyPassword(fromEnv, current))) storeHash(db, await hashPassword(fromEnv));
    return { generated: null };
  }
  if (current) return { generated: null };
  const generated = generatePassword();
  storeHash(db, await hashPassword(generated));
  return { generated };
}

export async function verifyAdminPassword(db: Database, password: string): Promise<boolean> {
  const current = storedHash(db);
  return current !== undefined && verifyPassword(password, current);
}

/** Sets a new admin password (generated if none is given) and ends every session. */
export async function resetAdminPassword(
  db: Database,
  password: string = generatePassword(),
): Promise<{ password: string; sessionsEnded: number }> {
  const hash = await hashPassword(password);
  const sessionsEnded = db.transaction(() => {
    storeHash(db, hash);
    return deleteAllSessions(db);
  })();
  return { password, sessionsEnded };
}
