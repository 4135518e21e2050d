import Database from 'better-sqlite3';
import { migrate } from './migrations';

/** A migrated in-memory store for unit tests, with the production store's constraints (lib/store/db.ts). */
export function testDb(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}
