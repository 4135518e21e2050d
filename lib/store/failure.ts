import fs from 'node:fs';
import path from 'node:path';
import { processSlot } from '@/lib/process-wide';

/** What is wrong with the store, as healthz, /metrics and every error message name it. */
export const STORE_STATES = ['ok', 'full', 'read-only', 'locked', 'corrupt', 'unwritable'] as const;
export type StoreState = (typeof STORE_STATES)[number];

export interface StoreProblem {
  state: Exclude<StoreState, 'ok'>;
  status: number; // the HTTP status an answer carries
  message: string; // what a person reads, with what to do
}

// Below this much free space a change is refused before anything is touched: SQLite's commit and
// its write-ahead log need room, and a change must never reach the kernel and then fail to be stored.
export const STORE_RESERVE_BYTES = 1024 * 1024;

const SQLITE_STATES: [RegExp, StoreProblem['state']][] = [
  [/^SQLITE_FULL/, 'full'],
  [/^SQLITE_READONLY/, 'read-only'],
  [/^SQLITE_(BUSY|LOCKED)/, 'locked'],
  [/^SQLITE_(CORRUPT|NOTADB)/, 'corrupt'],
  [/^SQLITE_(IOERR|CANTOPEN|PERM)/, 'unwritable'],
];
const FS_STATES: Record<string, StoreProblem['state']> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'unwritable',
  EPERM: 'unwritable',
  EIO: 'unwritable',
};

/** The message for a store in this state, naming the data directory and what to do. */
export function storeProblem(state: StoreProblem['state'], dataDir: string): StoreProblem {
  const dir = path.resolve(dataDir);
  const messages: Record<StoreProblem['state'], string> = {
    full: `labgate's data directory ${dir} is full: free some space; nothing was changed.`,
    'read-only': `labgate's data directory ${dir} is read-only: make it writable for labgate; nothing was changed.`,
    locked: `labgate's store in ${dir} is locked by another process: stop the other copy of labgate (labgate doctor names it); nothing was changed.`,
    corrupt: `labgate's store ${path.join(dir, 'labgate.db')} is damaged: restore it from a backup (docs/operations.md); nothing was changed.`,
    unwritable: `labgate's data directory ${dir} cannot be written (permissions or a disk error): check it; nothing was changed.`,
  };
  return { state, status: state === 'full' ? 507 : 503, message: messages[state] };
}

/** The store's problem behind an error thrown by SQLite or the file system, or null when it is not the store's. */
export function storeFailure(e: unknown, dataDir: string): StoreProblem | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const state = SQLITE_STATES.find(([re]) => re.test(code))?.[1] ?? FS_STATES[code];
  return state ? storeProblem(state, dataDir) : null;
}

/**
 * Whether the data directory can take a change now: enough free space and writable. Checked
 * before the kernel is touched, so a change that could not be stored is never applied.
 */
export function storeRoom(dataDir: string, reserveBytes = STORE_RESERVE_BYTES): StoreProblem | null {
  try {
    fs.accessSync(dataDir, fs.constants.W_OK);
    const s = fs.statfsSync(dataDir);
    return s.bavail * s.bsize < reserveBytes ? storeProblem('full', dataDir) : null;
  } catch (e) {
    return storeFailure(e, dataDir) ?? storeProblem('unwritable', dataDir);
  }
}

/**
 * The last failure the store gave this process, for healthz and /metrics. A full or read-only
 * directory is checked as it is now; a locked, damaged or unwritable store is reported for a
 * minute after it was last seen (each failing request renews it), or until a write succeeds.
 */
const REPORTED_MS = 60_000;
const lastFailure = processSlot<{ problem: StoreProblem; at: number } | null>('storeFailure');

export function noteStoreFailure(problem: StoreProblem): void {
  lastFailure.set({ problem, at: Date.now() });
}

export function noteStoreWritten(): void {
  lastFailure.set(null);
}

/** The store's state now: room and writability checked, else a recent failure; null when healthy. */
export function storeHealth(dataDir: string): StoreProblem | null {
  const room = storeRoom(dataDir);
  if (room) return room;
  const last = lastFailure.get();
  if (!last || last.problem.state === 'full' || last.problem.state === 'read-only') return null;
  return Date.now() - last.at < REPORTED_MS ? last.problem : null;
}
