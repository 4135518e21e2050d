import { describe, expect, it } from 'vitest';
import { connectFailure, DAY_MS, healthOf, isChange, uptime, type HealthChange } from './health';

const NOW = Date.parse('2026-12-05T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const HOUR = 3_600_000;
const up = (at: string): HealthChange => ({ at, up: true, reason: null });
const down = (at: string, reason = 'connection refused by 10.120.52.24:30060'): HealthChange => ({ at, up: false, reason });

describe('uptime over a window, from the changes only', () => {
  it.each([
    ['nothing probed', [], null],
    ['up the whole day', [up(ago(2 * DAY_MS))], 1],
    ['down the whole day', [down(ago(2 * DAY_MS))], 0],
    ['up since 12 h: only probed time counts', [up(ago(12 * HOUR))], 1],
    ['down for the last 6 of 24 h', [up(ago(2 * DAY_MS)), down(ago(6 * HOUR))], 0.75],
    ['down 6 h, then up again 3 h ago', [up(ago(2 * DAY_MS)), down(ago(9 * HOUR)), up(ago(3 * HOUR))], 0.75],
    ['down before the window, up within it', [down(ago(3 * DAY_MS)), up(ago(12 * HOUR))], 0.5],
    ['first probed this very moment: what it is now', [down(ago(0))], 0],
    ['a change in the future is not counted', [up(ago(DAY_MS)), down(new Date(NOW + HOUR).toISOString())], 1],
  ])('%s', (_what, changes, expected) => {
    const got = uptime(changes, NOW - DAY_MS, NOW);
    if (expected === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(expected, 6);
  });
});

describe("a forward's health", () => {
  const probe = { at: ago(5_000), up: false, responseMs: null, reason: 'connection refused by 10.120.52.24:30060' };

  it('down: since the change, with the last probe’s reason, the uptimes and the history newest first', () => {
    const changes = [up(ago(2 * DAY_MS)), down(ago(6 * HOUR))];
    const h = healthOf(changes, probe, NOW);
    expect(h).toMatchObject({
      state: 'down',
      since: ago(6 * HOUR),
      reason: 'connection refused by 10.120.52.24:30060',
      checkedAt: probe.at,
      responseMs: null,
    });
    expect(h.uptimeDay).toBeCloseTo(0.75);
    expect(h.uptimeWeek).toBeCloseTo((2 * DAY_MS - 6 * HOUR) / (2 * DAY_MS));
    expect(h.history.map((c) => c.up)).toEqual([false, true]);
  });

  it.each([
    ['never probed', [], null, null, 'unknown'],
    ['up, with its answer time', [up(ago(HOUR))], { at: ago(1_000), up: true, responseMs: 12, reason: null }, null, 'up'],
    ['not probed (UDP): unknown with the reason, whatever was before', [up(ago(HOUR))], null, 'UDP is not probed', 'unknown'],
  ] as const)('%s', (_what, changes, last, notProbed, state) => {
    const h = healthOf(changes, last, NOW, notProbed);
    expect(h.state).toBe(state);
    expect(h.reason).toBe(notProbed);
    expect(h.responseMs).toBe(last?.responseMs ?? null);
  });

  it('keeps only the last changes for the page', () => {
    const changes = Array.from({ length: 50 }, (_, i) => (i % 2 ? down : up)(ago((50 - i) * HOUR)));
    const h = healthOf(changes, null, NOW);
    expect(h.history).toHaveLength(20);
    expect(h.history[0]!.at).toBe(changes.at(-1)!.at);
  });
});

describe('what is a change worth recording', () => {
  it.each([
    ['the first probe', undefined, { up: true, responseMs: 3, reason: null }, true],
    ['up, still up', up(ago(HOUR)), { up: true, responseMs: 3, reason: null }, false],
    ['up, now down', up(ago(HOUR)), { up: false, responseMs: null, reason: 'no ready pod' }, true],
    [
      'down, still down for the same reason',
      down(ago(HOUR), 'no ready pod'),
      { up: false, responseMs: null, reason: 'no ready pod' },
      false,
    ],
    ['down, now for another reason', down(ago(HOUR)), { up: false, responseMs: null, reason: 'no ready pod' }, true],
  ] as const)('%s', (_what, before, now, expected) => {
    expect(isChange(before, now)).toBe(expected);
  });
});

describe('why a connection failed, in words', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused by 10.120.52.24:30060'],
    ['TIMEOUT', 'no answer from 10.120.52.24:30060 within 2 s'],
    ['EHOSTUNREACH', '10.120.52.24:30060 cannot be reached (no route)'],
    ['ECONNRESET', 'connection reset by 10.120.52.24:30060'],
    ['EPIPE', 'connection to 10.120.52.24:30060 failed (EPIPE)'],
    [undefined, 'connection to 10.120.52.24:30060 failed'],
  ])('%s', (code, words) => {
    expect(connectFailure(code, '10.120.52.24:30060', 2_000)).toBe(words);
  });
});
