import 'server-only';
import { diffFirewall, noDrift, type FirewallDiff } from '@/lib/domain/firewall/diff';
import { storedRules } from '@/lib/domain/forwards/forward-status';
import { renderRules } from '@/lib/domain/firewall/rules';
import type { ParsedSave } from '@/lib/domain/firewall/save-parse';
import { kubeCache } from '@/lib/kube/cache';
import { multipassWatcher } from '@/lib/multipass/watcher';
import { metrics } from '@/lib/observe/metrics';
import { ProblemLog } from '@/lib/observe/problem-log';
import type { Outcome } from '@/lib/result';
import {
  accumulate,
  bytesPerMinute,
  HISTORY_MINUTES,
  trafficOf,
  type TrafficSample,
  type TrafficTotal,
} from '@/lib/domain/firewall/traffic';
import type { ForwardTraffic, HostStatus } from '@/lib/wire';
import type { HostParts } from './deps';
import { readKernel } from './drift';
import { hostChanged } from './events';
import { ownRulesAfter, ownRulesOf } from './firewall/firewall';
import type { HostService } from './service';

// The reconcile loop and its state, side by side (as kube-proxy keeps its sync loop apart from
// its iptables interface, ./firewall): KernelView holds the last full read, Reconciler the
// timers that decide when to read again and to repair. The pass itself is ./sync's.

const BATCH_MS = 200; // at most one apply per batch of changes
const CHECK_MS = 1_000; // how often the canary rules are checked for a flush or reboot
export const RESYNC_MS = 30_000; // a full read and diff at least this often, for drift the canary cannot see

/**
 * What the kernel holds against what the store says: the firewall's health and drift, kept as
 * the last known status, and the cheap check that tells when it must be read again.
 */
export class KernelView {
  private readonly parts: HostParts;
  private readonly lastSync: () => HostStatus['lastSync'];
  /** Each forward's traffic since this process started, from the counters of every full read. */
  private totals = new Map<string, TrafficTotal>();
  /** Their byte totals at each full read of the last hour, for the Forwards page's chart. */
  private samples = new Map<string, TrafficSample[]>();
  /** What pages and /metrics show of them, as of the last full read. */
  private trafficViews = new Map<string, ForwardTraffic>();
  /** The last full read, how many restores this process had made by then, and labgate's own lines in it. */
  private lastRead: { at: number; restores: number; status: Outcome<HostStatus>; own: string | null } | null = null;

  constructor(parts: HostParts, lastSync: () => HostStatus['lastSync']) {
    this.parts = parts;
    this.lastSync = lastSync;
  }

  /** The kernel's rules, or why they cannot be read. */
  read(): Promise<Outcome<ParsedSave>> {
    return readKernel(this.parts.firewall);
  }

  /**
   * A full read of the kernel, kept as the last known status (or this read, when the caller has
   * one). A kernel that cannot be read is a 502 with the reason, never a throw.
   */
  async status(save?: ParsedSave): Promise<Outcome<HostStatus>> {
    const restores = this.parts.firewall.restores;
    const read = save ? { ok: true as const, data: save } : await this.read();
    const status = read.ok ? this.statusOf(read.data) : read;
    if (read.ok) this.count(read.data);
    const wasInSync = this.lastRead?.status.ok ? this.lastRead.status.data.inSync : null;
    this.lastRead = { at: Date.now(), restores, status, own: read.ok ? ownRulesOf(read.data) : null };
    if (status.ok && status.data.inSync !== wasInSync) hostChanged(); // open pages show the drift, or that it is gone
    return status;
  }

  /** A forward's traffic as the last full read counted it; null before any read with counters. */
  traffic(id: string): ForwardTraffic | null {
    return this.trafficViews.get(id) ?? null;
  }

  /** Each forward's figures from a read: worked out here, once a read, not at each page or scrape that shows them. */
  private count(save: ParsedSave): void {
    const at = Date.now();
    const totals = new Map<string, TrafficTotal>();
    const samples = new Map<string, TrafficSample[]>();
    const views = new Map<string, ForwardTraffic>();
    // Only the forwards in this read: one gone from the kernel takes its figures with it.
    for (const [id, now] of trafficOf(save)) {
      const total = accumulate(this.totals.get(id), now, new Date(at).toISOString());
      const history = [...(this.samples.get(id) ?? []).filter((s) => s.at > at - HISTORY_MINUTES * 60_000), { at, bytes: total.bytes }];
      totals.set(id, total);
      samples.set(id, history);
      views.set(id, {
        connections: total.connections,
        bytes: total.bytes,
        lastUsed: total.lastUsed,
        perMinute: bytesPerMinute(history, at),
      });
    }
    this.totals = totals;
    this.samples = samples;
    this.trafficViews = views;
  }

  /** The last full read, with the latest sync's outcome, without reading the kernel again (what pages ask for). */
  async lastStatus(): Promise<Outcome<HostStatus>> {
    const last = this.lastRead?.status ?? (await this.status());
    if (!last.ok) return last;
    return {
      ok: true,
      data: { ...last.data, lastSync: this.lastSync(), restores: this.parts.firewall.restores, ipForward: this.parts.facts.ipForward() },
    };
  }

  /**
   * After a repair made from the last full read: the kernel holds what the store says now (a
   * restore is atomic), so it stands as the last read without reading the kernel again. Were
   * anything else to differ, the next cheap check sees it and reads the kernel.
   */
  markSynced(): void {
    const last = this.lastRead;
    if (!last?.status.ok) return;
    const { store, firewall, facts } = this.parts;
    const desired = renderRules(storedRules(store.list(), store.statuses()), facts.network(), firewall.owner);
    const diff = noDrift();
    this.lastRead = {
      at: Date.now(),
      restores: firewall.restores,
      status: {
        ok: true,
        data: {
          ...last.status.data,
          inSync: true,
          diff,
          restores: firewall.restores,
          lastSync: this.lastSync(),
          checkedAt: new Date().toISOString(),
        },
      },
      own: ownRulesAfter(desired),
    };
    if (!last.status.data.inSync) hostChanged(); // open pages show that the drift is gone
  }

  /**
   * Whether the last full read can no longer stand for the kernel: there is none, it failed or
   * found drift, labgate has written since, the last sync failed, or it is older than maxAgeMs.
   */
  lastReadStale(maxAgeMs: number): boolean {
    const last = this.lastRead;
    if (!last?.status.ok || !last.status.data.inSync || this.lastSync()?.error) return true;
    return last.restores !== this.parts.firewall.restores || Date.now() - last.at >= maxAgeMs;
  }

  /**
   * The cheap check: labgate's rules in the kernel are still the ones the last full read found
   * (a flush, a reboot, another writer or an old dump restored each change them).
   */
  async kernelUnchanged(): Promise<boolean> {
    const own = await this.parts.firewall.ownRules();
    return own !== null && own === this.lastRead?.own;
  }

  private statusOf(save: ParsedSave): Outcome<HostStatus> {
    const { store, firewall, facts } = this.parts;
    const diff = diffFirewall(renderRules(storedRules(store.list(), store.statuses()), facts.network(), firewall.owner), save);
    return {
      ok: true,
      data: {
        backend: firewall.runner.backend,
        inSync: diff.inSync,
        diff,
        handMade: facts.handMade(save),
        restores: firewall.restores,
        ipForward: facts.ipForward(),
        lastSync: this.lastSync(),
        checkedAt: new Date().toISOString(),
      },
    };
  }
}

/** Where targets change: the cluster's cache and the Multipass watcher. */
export interface ChangeSource {
  ready(): Promise<void>;
  onChange(listener: () => void): () => void;
}

/** A flush or reboot took labgate's chains or jumps; anything less is drift. */
const isFlush = (d: FirewallDiff) => d.missingChains.length > 0 || d.missingJumps.nat.length + d.missingJumps.filter.length > 0;

/**
 * Keeps the kernel true to the store: applies it at start (the reboot case), follows the
 * cluster and Multipass (a pod moves, a VM's address changes) and repairs what someone else
 * flushed. Cheap when nothing happens, as kube-proxy's monitor is: each second only the canary
 * rules are listed; the whole rule set is read and compared when they are gone, after labgate
 * wrote, while drift or a failure is pending, and every RESYNC_MS for drift the canary cannot see.
 */
export class Reconciler {
  private readonly host: HostService;
  private readonly sources: () => ChangeSource[];
  private timer: NodeJS.Timeout | null = null;
  private checker: NodeJS.Timeout | null = null;
  private offs: (() => void)[] = [];
  private checking = false;
  private readonly problems = new ProblemLog('firewall check');

  constructor(host: HostService, sources: () => ChangeSource[] = () => [kubeCache(), multipassWatcher()]) {
    this.host = host;
    this.sources = sources;
  }

  async start(): Promise<void> {
    const sources = this.sources();
    await Promise.all(sources.map((s) => s.ready()));
    await this.host.sync();
    this.offs.push(...sources.map((s) => s.onChange(() => this.request())));
    this.checker = setInterval(() => void this.check(), CHECK_MS);
  }

  /** Coalesces bursts of changes into one sync. */
  request(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.host.sync();
    }, BATCH_MS);
  }

  /** One check, as the timer runs it each second: labgate's own rules listed, and a full read and repair only when they changed. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const { kernel } = this.host;
      if (!kernel.lastReadStale(RESYNC_MS) && (await kernel.kernelUnchanged())) return;
      // One full read per repair: the status and the repair both come from it.
      const read = await kernel.read();
      if (!read.ok) return this.problems.report(read.error);
      const status = await kernel.status(read.data);
      if (!status.ok) return this.problems.report(status.error);
      const repaired = status.data.inSync ? null : await this.host.sync(read.data);
      if (repaired?.ok) {
        metrics().repairs.inc({ kind: isFlush(status.data.diff) ? 'flush' : 'drift' });
        this.host.recordRepair(status.data.diff); // once per repair, with what was found
        kernel.markSynced(); // the last known status is the repaired kernel's, not the flushed one's
      }
      this.problems.report(repaired && !repaired.ok ? repaired.error : null);
    } catch (e) {
      this.problems.report(e instanceof Error ? e.message : String(e));
    } finally {
      this.checking = false;
    }
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.checker) clearInterval(this.checker);
    for (const off of this.offs) off();
  }
}
