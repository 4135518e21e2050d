import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { noteStoreFailure, noteStoreWritten, storeFailure, storeHealth, storeProblem, storeRoom } from './failure';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-failure-'));

describe('storeFailure', () => {
  it.each([
    ['SQLITE_FULL', 'full', 507, 'is full: free some space; nothing was changed.'],
    ['SQLITE_IOERR_WRITE', 'unwritable', 503, 'cannot be written'],
    ['SQLITE_READONLY', 'read-only', 503, 'is read-only'],
    ['SQLITE_READONLY_DBMOVED', 'read-only', 503, 'is read-only'],
    ['SQLITE_BUSY', 'locked', 503, 'is locked by another process'],
    ['SQLITE_LOCKED', 'locked', 503, 'is locked by another process'],
    ['SQLITE_CORRUPT', 'corrupt', 503, `${path.join(dir, 'labgate.db')} is damaged: restore it from a backup`],
    ['SQLITE_NOTADB', 'corrupt', 503, 'is damaged'],
    ['SQLITE_CANTOPEN', 'unwritable', 503, 'cannot be written'],
    ['ENOSPC', 'full', 507, 'is full'],
    ['EROFS', 'read-only', 503, 'is read-only'],
    ['EACCES', 'unwritable', 503, 'cannot be written'],
  ])('%s: %s, %i, "%s"', (code, state, status, message) => {
    const problem = storeFailure(Object.assign(new Error('x'), { code }), dir);
    expect(problem).toMatchObject({ state, status, message: expect.stringContaining(message) });
    expect(problem!.message).toContain(dir);
  });

  it.each([[new Error('a bug')], [Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT_UNIQUE' })], ['text'], [null]])(
    'anything else (%s) is not the store',
    (e) => expect(storeFailure(e, dir)).toBeNull(),
  );
});

describe('storeRoom and storeHealth', () => {
  afterEach(() => {
    noteStoreWritten();
    vi.useRealTimers();
  });

  it('a directory with room is fine; one that needs more than the disk has is full', () => {
    expect(storeRoom(dir)).toBeNull();
    expect(storeRoom(dir, Number.MAX_SAFE_INTEGER)).toMatchObject({ state: 'full' });
    expect(storeRoom(path.join(dir, 'missing'))).toMatchObject({ state: 'unwritable' });
  });

  it('a damaged store is reported for a minute after it was last seen, or until a write succeeds', () => {
    vi.useFakeTimers();
    noteStoreFailure(storeProblem('corrupt', dir));
    expect(storeHealth(dir)).toMatchObject({ state: 'corrupt' });
    vi.advanceTimersByTime(59_000);
    expect(storeHealth(dir)).toMatchObject({ state: 'corrupt' });
    vi.advanceTimersByTime(2_000);
    expect(storeHealth(dir)).toBeNull();
    noteStoreFailure(storeProblem('locked', dir));
    noteStoreWritten();
    expect(storeHealth(dir)).toBeNull();
  });

  it('a full disk is what the disk says now, not what it said', () => {
    noteStoreFailure(storeProblem('full', dir));
    expect(storeHealth(dir)).toBeNull(); // this directory has room
  });
});
