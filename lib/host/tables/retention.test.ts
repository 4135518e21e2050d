import { describe, expect, it } from 'vitest';
import { testDb } from '@/lib/store/test-db';
import { AuditLog } from './audit';
import { HealthLog } from './health';
import { Journal } from './journal';

const DAY = 86_400_000;
const entry = (n: number) => ({ actor: 'admin', action: 'forward.create', subject: `#${n}`, detail: '', result: 'ok' });

describe('the audit log', () => {
  it('pages newest first from a cursor', () => {
    const log = new AuditLog(testDb(), { days: 365, maxEntries: 100_000 });
    for (let i = 1; i <= 25; i++) log.record(entry(i));
    const first = log.list({ limit: 10 });
    expect(first.map((e) => e.subject)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16].map((n) => `#${n}`));
    const second = log.list({ limit: 10, before: first.at(-1)!.id });
    expect(second[0]!.subject).toBe('#15');
    expect(log.list({ limit: 10, before: log.list({ limit: 30 }).at(-1)!.id })).toEqual([]);
  });

  it('keeps at most maxEntries and nothing older than its days', () => {
    const db = testDb();
    const log = new AuditLog(db, { days: 30, maxEntries: 100 });
    const now = new Date('2026-12-01T00:00:00Z');
    for (let i = 0; i < 50; i++) log.record(entry(i), new Date(now.getTime() - 40 * DAY)); // too old
    for (let i = 50; i < 300; i++) log.record(entry(i), now);
    log.prune(now);
    const kept = log.list({ limit: 1000 });
    expect(kept).toHaveLength(100);
    expect(kept[0]!.subject).toBe('#299');
    expect(kept.at(-1)!.subject).toBe('#200');
  });
});

describe('the journal', () => {
  it('forgets finished entries past their days, never running or done ones (recovery and Undo need them)', () => {
    const db = testDb();
    const journal = new Journal(db, 30);
    for (const [id, state] of [
      ['run000', 'running'],
      ['don000', 'done'],
      ['und000', 'undone'],
      ['fai000', 'failed'],
    ] as const)
      journal.put({ id, operation: 'expose', state, steps: {} });
    expect(journal.prune(new Date(Date.now() + 10 * DAY))).toBe(0);
    expect(journal.prune(new Date(Date.now() + 31 * DAY))).toBe(2);
    expect(
      journal
        .list()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['don000', 'run000']);
  });
});

describe('the health history', () => {
  const at = (ms: number) => new Date(Date.parse('2026-12-01T00:00:00Z') - ms).toISOString();

  it('gives each forward its changes since a moment, with the one before it (the state it started from)', () => {
    const log = new HealthLog(testDb(), { days: 30, maxEntries: 1_000 });
    log.record('a', { at: at(3 * DAY), up: true, reason: null });
    log.record('a', { at: at(2 * DAY), up: false, reason: 'refused' });
    log.record('a', { at: at(DAY / 2), up: true, reason: null });
    log.record('b', { at: at(5 * DAY), up: true, reason: null });
    const since = log.since(at(DAY));
    expect(since.get('a')!.map((c) => c.up)).toEqual([false, true]);
    expect(since.get('b')!.map((c) => c.at)).toEqual([at(5 * DAY)]);
  });

  it('forgets changes past its days but each forward’s latest, and every change of a forward that is gone', () => {
    const log = new HealthLog(testDb(), { days: 30, maxEntries: 1_000 });
    log.record('a', { at: at(50 * DAY), up: true, reason: null });
    log.record('a', { at: at(40 * DAY), up: false, reason: 'refused' });
    log.record('a', { at: at(35 * DAY), up: true, reason: null }); // the latest: up for 35 days now
    log.record('gone', { at: at(DAY), up: true, reason: null });
    expect(log.prune(['a'], new Date(Date.parse(at(0))))).toBe(3);
    const left = log.since(at(60 * DAY));
    expect([...left.keys()]).toEqual(['a']);
    expect(left.get('a')).toEqual([{ at: at(35 * DAY), up: true, reason: null }]);
  });

  it('keeps at most the audit log’s number of entries, each forward’s latest among them: a flapping forward cannot fill the disk', () => {
    const log = new HealthLog(testDb(), { days: 30, maxEntries: 100 });
    log.record('steady', { at: at(10 * DAY), up: true, reason: null });
    for (let i = 0; i < 300; i++) log.record('flapping', { at: at(DAY - i * 1_000), up: i % 2 === 0, reason: null });
    log.prune(['steady', 'flapping'], new Date(Date.parse(at(0))));
    const left = log.since(at(60 * DAY));
    expect(left.get('flapping')).toHaveLength(100);
    expect(left.get('flapping')!.at(-1)!.at).toBe(at(DAY - 299_000));
    expect(left.get('steady')).toHaveLength(1);
  });
});
