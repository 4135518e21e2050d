import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, migrations, schemaVersion, type Migration } from './migrations';

describe('migrations', () => {
  it('brings a new store to the latest version, once', () => {
    const db = new Database(':memory:');
    const latest = migrations.at(-1)!.version;
    expect(migrate(db)).toBe(latest);
    expect(migrate(db)).toBe(latest);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['sessions', 'settings']));
  });

  it('numbers migrations 1, 2, 3… with no gap', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('applies only what is new, and a failing one leaves the version where it was', () => {
    const db = new Database(':memory:');
    const extra: Migration[] = [...migrations, { version: migrations.length + 1, name: 'broken', sql: 'CREATE TABLE x (; nonsense' }];
    expect(() => migrate(db, extra)).toThrow();
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'x'").pluck().get()).toBe(0);
  });

  it('refuses a store written by a newer version', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(/newer labgate/);
  });
});
