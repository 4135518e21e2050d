import type { Database } from 'better-sqlite3';

/**
 * Versioned schema changes, applied in order and recorded in PRAGMA user_version.
 * Append only: a released migration is never edited; later issues add their tables here.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'settings and sessions',
    sql: `
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE sessions (
        id_hash      TEXT PRIMARY KEY,   -- sha256 of the cookie value: a copy of the file grants no session
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL
      );
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);
    `,
  },
];

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the file's version, each in its own transaction. */
export function migrate(db: Database, all: readonly Migration[] = migrations): number {
  const current = schemaVersion(db);
  const latest = all.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`The data dir was written by a newer labgate (schema ${current}, this one knows ${latest}).`);
  }
  for (const m of all) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return schemaVersion(db);
}
