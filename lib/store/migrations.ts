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
  {
    version: 2,
    name: 'forwards, their status, the audit log and the journal',
    sql: `
      CREATE TABLE forwards (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        protocol       TEXT NOT NULL CHECK (protocol IN ('tcp', 'udp')),
        listen_port    INTEGER NOT NULL CHECK (listen_port BETWEEN 1 AND 65535),
        listen_address TEXT,
        target         TEXT NOT NULL,      -- JSON of the target union
        description    TEXT NOT NULL DEFAULT '',
        created_by     TEXT NOT NULL,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL
      );
      CREATE UNIQUE INDEX forwards_listen ON forwards (protocol, listen_port, IFNULL(listen_address, ''));
      CREATE TABLE forward_status (
        id          TEXT PRIMARY KEY REFERENCES forwards (id) ON DELETE CASCADE,
        state       TEXT NOT NULL,
        target_ip   TEXT,
        target_port INTEGER,
        node        TEXT,
        reason      TEXT,
        updated_at  TEXT NOT NULL
      );
      CREATE TABLE audit (
        id      INTEGER PRIMARY KEY AUTOINCREMENT,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT NOT NULL DEFAULT '',
        result  TEXT NOT NULL             -- ok, or the error
      );
      CREATE INDEX audit_by_time ON audit (at);
      CREATE TABLE journal (
        id         TEXT PRIMARY KEY,
        operation  TEXT NOT NULL,
        state      TEXT NOT NULL,          -- running, done, undone, failed
        steps      TEXT NOT NULL,          -- JSON: what was done, for finishing or undoing
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "a forward's name on the LAN and its HTTPS certificate",
    sql: `
      ALTER TABLE forwards ADD COLUMN lan_name TEXT;      -- published as lan_name.local
      ALTER TABLE forwards ADD COLUMN tls_cert TEXT;      -- PEM: Caddy serves https://lan_name.local/ with it
      ALTER TABLE forwards ADD COLUMN tls_key  TEXT;      -- PEM, never shown: only Caddy gets it
    `,
  },
  {
    version: 4,
    name: 'launch templates the person saved',
    sql: `
      CREATE TABLE launch_templates (
        name       TEXT PRIMARY KEY,
        image      TEXT NOT NULL,
        cpus       INTEGER NOT NULL,
        memory     TEXT NOT NULL,
        disk       TEXT NOT NULL,
        cloud_init TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: "forwards' access rules",
    sql: `
      ALTER TABLE forwards ADD COLUMN allow_from TEXT; -- JSON array of sources (CIDRs); NULL: everyone on the LAN
    `,
  },
  {
    version: 6,
    name: "forwards' health: each change of state the probes saw",
    sql: `
      CREATE TABLE health (
        id         INTEGER PRIMARY KEY,
        forward_id TEXT NOT NULL,
        at         TEXT NOT NULL,
        up         INTEGER NOT NULL,   -- 1: answered; 0: did not
        reason     TEXT                -- why not, in words
      );
      CREATE INDEX health_by_forward ON health (forward_id, at);
    `,
  },
  {
    version: 7,
    name: 'sign-in in front of HTTPS exposures',
    sql: `
      ALTER TABLE forwards ADD COLUMN sign_in TEXT; -- JSON {dashboard, ca}: "Sign in with labgate"; NULL: no sign-in
      -- What a dashboard session lets into an exposure: a one-time token (60 s, in a redirect) and the
      -- cookie it is traded for. Both end with the session (logout, expiry, password reset).
      CREATE TABLE exposure_grants (
        id_hash      TEXT PRIMARY KEY,   -- sha256 of the token or cookie value
        kind         TEXT NOT NULL CHECK (kind IN ('token', 'cookie')),
        session_hash TEXT NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
        name         TEXT NOT NULL,      -- the exposure's name: grafana.local
        next         TEXT NOT NULL,      -- tokens: where on that name to go once signed in
        expires_at   INTEGER NOT NULL
      );
      CREATE INDEX exposure_grants_by_session ON exposure_grants (session_hash);
      -- Which names a session has opened: the audit log says so once per session and name.
      CREATE TABLE exposure_openings (
        session_hash TEXT NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
        name         TEXT NOT NULL,
        PRIMARY KEY (session_hash, name)
      );
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
    throw new Error(
      `labgate cannot start: its data dir was written by a newer labgate (schema ${current}, this one knows ${latest}). ` +
        'Run that newer version again, or restore the backup made before upgrading (docs/operations.md); nothing was changed.',
    );
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
