import 'server-only';
import { healthOf, isChange, type ForwardHealth, type HealthChange, type ProbeResult, WEEK_MS } from '@/lib/domain/forwards/health';
import type { Forward, ForwardStatus } from '@/lib/domain/forwards/forward';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { ConcurrencyLimit } from '@/lib/concurrency';
import { ProblemLog } from '@/lib/observe/problem-log';
import type { HostParts } from './deps';
import { hostChanged } from './events';
import { probeHttps, probeTcp } from './probe';
import { HealthLog } from './tables/health';

/** How one forward is probed: tests pass their own. */
export type Prober = (f: Forward, status: ForwardStatus | null, lanAddress: string | null) => Promise<ProbeResult>;

/** Where the health of a forward changed from up to down or back, as posted to the webhook. */
export interface HealthEvent {
  forward: { id: string; name: string; listenPort: number; lanName: string | null };
  state: 'up' | 'down';
  at: string;
  reason: string | null;
}

const PROBES_AT_ONCE = 4;
const WEBHOOK_TIMEOUT_MS = 5_000;
const WEBHOOK_QUEUE = 50; // posts waiting beyond this are dropped, said once: a flapping lab cannot pile them up
const UDP = 'UDP is not probed: it has no connection to open.';

/**
 * Probes each forward from the host as a LAN device would reach it: HTTPS exposures through
 * Caddy by name, the rest by a TCP connect to the host's LAN address and port (an HTTP server
 * error counts as down). Without a target there is nothing to probe: down, with the status's reason.
 */
export const liveProber: Prober = async (f, status, lanAddress) => {
  if (!status?.targetIP || !status.targetPort) return { up: false, responseMs: null, reason: status?.reason ?? 'not applied yet' };
  const address = f.listenAddress ?? lanAddress;
  if (!address) return { up: false, responseMs: null, reason: 'this host has no known LAN address' };
  const target = `${status.targetIP}:${status.targetPort}`;
  const result = f.https && f.lanName ? await probeHttps(address, mdnsName(f.lanName)) : await probeTcp(address, f.listenPort, { target });
  // A kept (stale) target that fails says why it is kept too.
  return !result.up && status.state !== 'applied' && status.reason ? { ...result, reason: `${result.reason}; ${status.reason}` } : result;
};

/**
 * Is each forward up: probed every interval, each change of state kept in the store (a week of
 * it in memory for the pages), shown live and posted to the webhook when one is set.
 */
export class HealthMonitor {
  private readonly parts: HostParts;
  private readonly log: HealthLog;
  private readonly prober: Prober;
  private readonly intervalMs: number;
  private readonly webhook: string | null;
  private readonly posts = new ConcurrencyLimit(1);
  private waitingPosts = 0;
  private changes: Map<string, HealthChange[]>; // each forward's changes of the last week, oldest first
  private last = new Map<string, ProbeResult & { at: string }>();
  private views = new Map<string, ForwardHealth>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private readonly problems = new ProblemLog('health history');
  private readonly webhookProblems = new ProblemLog('health webhook');

  constructor(parts: HostParts) {
    this.parts = parts;
    this.log = new HealthLog(parts.db, parts.health.retention);
    this.prober = parts.prober ?? liveProber;
    this.intervalMs = parts.health.intervalMs;
    this.webhook = parts.health.webhook;
    this.changes = this.log.since(new Date(Date.now() - WEEK_MS).toISOString());
  }

  /** Probes at once and then every interval. */
  start(): void {
    void this.round();
    this.timer ??= setInterval(() => void this.round(), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A forward's health as of the last round; null before its first. */
  health(id: string): ForwardHealth | null {
    return this.views.get(id) ?? null;
  }

  /**
   * One probe of every forward, at most a few at once. Asked for while one runs, it runs once
   * more after it (never an answer from before the asking); asked again meanwhile, that same one.
   */
  round(): Promise<void> {
    if (!this.running) {
      this.running = this.probeAll().finally(() => (this.running = null));
      return this.running;
    }
    this.queued ??= this.running.then(() => {
      this.queued = null;
      return this.round();
    });
    return this.queued;
  }

  /** A forward was added or changed: while the monitor runs, it is probed now rather than at the next interval. */
  forwardsChanged(): void {
    if (this.timer) void this.round();
  }

  private async probeAll(): Promise<void> {
    const forwards = this.parts.store.list();
    const statuses = this.parts.store.statuses();
    const lanAddress = this.parts.facts.lanAddress();
    const limit = new ConcurrencyLimit(PROBES_AT_ONCE);
    let changed = false;
    await Promise.all(
      forwards.map((f) =>
        limit.run(async () => {
          if (f.protocol === 'udp') return;
          const result = await this.prober(f, statuses.get(f.id) ?? null, lanAddress).catch((e: unknown): ProbeResult => ({
            up: false,
            responseMs: null,
            reason: e instanceof Error ? e.message : String(e),
          }));
          changed = this.take(f, result) || changed;
        }),
      ),
    );
    const now = Date.now();
    const ids = forwards.map((f) => f.id);
    const live = new Set(ids);
    for (const id of this.changes.keys()) if (!live.has(id)) this.changes.delete(id);
    this.views = new Map(
      forwards.map((f) => [f.id, healthOf(this.trimmed(f.id, now), this.last.get(f.id) ?? null, now, f.protocol === 'udp' ? UDP : null)]),
    );
    try {
      this.log.prune(ids);
      this.problems.report(null);
    } catch (e) {
      this.problems.report(e instanceof Error ? e.message : String(e));
    }
    if (changed) hostChanged(); // open pages show it at once
  }

  /** Takes one probe's answer; true when it changed the forward's state. */
  private take(f: Forward, result: ProbeResult): boolean {
    const at = new Date().toISOString();
    this.last.set(f.id, { ...result, at });
    const list = this.changes.get(f.id) ?? [];
    const before = list.at(-1);
    if (!isChange(before, result)) return false;
    const change: HealthChange = { at, up: result.up, reason: result.reason };
    list.push(change);
    this.changes.set(f.id, list);
    try {
      this.log.record(f.id, change);
      this.problems.report(null);
    } catch (e) {
      // Kept in memory all the same: a full disk loses the history, not the state shown.
      this.problems.report(e instanceof Error ? e.message : String(e));
    }
    if (before && before.up !== result.up)
      this.post({
        forward: { id: f.id, name: f.name, listenPort: f.listenPort, lanName: f.lanName },
        state: result.up ? 'up' : 'down',
        at,
        reason: result.reason,
      });
    return true;
  }

  /** The forward's changes of the last week, the last one before it kept as its starting state. */
  private trimmed(id: string, now: number): HealthChange[] {
    const list = this.changes.get(id) ?? [];
    const from = now - WEEK_MS;
    const firstInWeek = list.findIndex((c) => Date.parse(c.at) >= from);
    const start = firstInWeek === -1 ? list.length - 1 : firstInWeek - 1;
    const kept = start <= 0 ? list : list.slice(start);
    if (kept !== list) this.changes.set(id, kept);
    return kept;
  }

  /** One POST per change, one at a time, never retried: the receiver's outage must not grow into a storm. */
  private post(event: HealthEvent): void {
    const url = this.webhook;
    if (!url) return;
    if (this.waitingPosts >= WEBHOOK_QUEUE)
      return this.webhookProblems.report(`more than ${WEBHOOK_QUEUE} posts waiting; dropping changes until it answers`);
    this.waitingPosts++;
    void this.posts
      .run(async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'labgate-health' },
          body: JSON.stringify({ source: 'labgate', ...event }),
          redirect: 'manual',
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        await res.body?.cancel();
        this.webhookProblems.report(res.ok ? null : `${url} answered ${res.status}`);
      })
      .catch((e: unknown) => this.webhookProblems.report(`${url}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => this.waitingPosts--);
  }
}
