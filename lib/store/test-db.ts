import Database from 'better-sqlite3';
import { migrate } from './migrations';

/** A migrated in-memory store for unit tests. */
export function testDb(): Database.Database {
  const db = new Database(':memory:');
  migrate(db);
  return db;
}
