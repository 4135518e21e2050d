/** One probe's answer: up or down, how long it took, and why when down. */
export interface ProbeResult {
  up: boolean;
  responseMs: number | null; // null when nothing answered
  reason: string | null; // why down: "connection refused by 10.120.52.24:30060", "no ready pod"
}

/** A change of state as the store keeps it: only changes are kept, so a week is a few rows. */
export interface HealthChange {
  at: string; // ISO
  up: boolean;
  reason: string | null;
}

export type HealthState = 'up' | 'down' | 'unknown';

/** Is it up: now, since when, and how often over the last day and week. */
export interface ForwardHealth {
  state: HealthState;
  since: string | null; // when the state now began (ISO)
  reason: string | null; // why down, or why it is not probed
  checkedAt: string | null; // the last probe (ISO)
  responseMs: number | null; // the last probe's answer time
  uptimeDay: number | null; // share of the last 24 h it was up, 0..1; null: not probed in it
  uptimeWeek: number | null; // the same over 7 days
  history: HealthChange[]; // newest first, the last few changes
}

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const HISTORY_SHOWN = 20;

/**
 * The share of [from, to) that the changes say was up, counting only time after the first
 * change (before it nothing was probed). `changes` oldest first, the last one before `from`
 * included when there is one. Null when nothing was probed by `to`. Pure.
 */
export function uptime(changes: readonly HealthChange[], from: number, to: number): number | null {
  let up = 0;
  let known = 0;
  changes.forEach((c, i) => {
    const start = Math.max(Date.parse(c.at), from);
    const end = Math.min(i + 1 < changes.length ? Date.parse(changes[i + 1]!.at) : to, to);
    if (end <= start) return;
    known += end - start;
    if (c.up) up += end - start;
  });
  if (known > 0) return up / known;
  const current = changes.findLast((c) => Date.parse(c.at) <= to); // probed this very moment: what it is now
  return current ? Number(current.up) : null;
}

/**
 * A forward's health from its changes over the last week (oldest first, the last one before
 * the week included) and its last probe. Pure.
 */
export function healthOf(
  changes: readonly HealthChange[],
  last: (ProbeResult & { at: string }) | null,
  now: number,
  notProbed: string | null = null,
): ForwardHealth {
  const current = changes.at(-1);
  const state: HealthState = notProbed || !current ? 'unknown' : current.up ? 'up' : 'down';
  return {
    state,
    since: notProbed ? null : (current?.at ?? null),
    reason: notProbed ?? (state === 'down' ? (last?.reason ?? current?.reason ?? null) : null),
    checkedAt: last?.at ?? null,
    responseMs: last?.responseMs ?? null,
    uptimeDay: uptime(changes, now - DAY_MS, now),
    uptimeWeek: uptime(changes, now - WEEK_MS, now),
    history: changes.slice(-HISTORY_SHOWN).reverse(),
  };
}

/** Whether a probe's answer is a change worth recording: up or down now, or down for another reason. */
export const isChange = (before: HealthChange | undefined, now: ProbeResult): boolean =>
  !before || before.up !== now.up || (!now.up && before.reason !== now.reason);

/** The reason a connection failed, in words, from Node's error code. Pure. */
export function connectFailure(code: string | undefined, target: string, timeoutMs: number): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${target}`;
    case 'ETIMEDOUT':
    case 'TIMEOUT':
      return `no answer from ${target} within ${timeoutMs / 1000} s`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${target} cannot be reached (no route)`;
    case 'ECONNRESET':
      return `connection reset by ${target}`;
    default:
      return `connection to ${target} failed${code ? ` (${code})` : ''}`;
  }
}
