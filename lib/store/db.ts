import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { env } from '@/lib/env';
import { migrate } from './migrations';
import { processSingleton } from '@/lib/process-wide';

export type Db = Database.Database;

/** Opens (creating if needed) the store in dataDir and brings its schema up to date. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new Database(path.join(dataDir, 'labgate.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** The server process's one connection. */
export const db = processSingleton('db', (): Db => openDatabase(env().dataDir));
