import 'server-only';
import { kubeCache } from '@/lib/kube/cache';
import { multipassWatcher } from '@/lib/multipass/watcher';
import type { FirewallDiff } from '@/lib/domain/diff';
import { metrics } from '@/lib/observe/metrics';
import { ProblemLog } from '@/lib/observe/problem-log';
import type { HostService } from './service';

const BATCH_MS = 200; // at most one apply per batch of changes
const CHECK_MS = 1_000; // how often the canary rules are checked for a flush or reboot
export const RESYNC_MS = 30_000; // a full read and diff at least this often, for drift the canary cannot see

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
      if (!this.host.lastReadStale(RESYNC_MS) && (await this.host.kernelUnchanged())) return;
      // One full read per repair: the status and the repair both come from it.
      const read = await this.host.readKernel();
      if (!read.ok) return this.problems.report(read.error);
      const status = await this.host.status(read.data);
      if (!status.ok) return this.problems.report(status.error);
      const repaired = status.data.inSync ? null : await this.host.sync(read.data);
      if (repaired?.ok) {
        metrics().repairs.inc({ kind: isFlush(status.data.diff) ? 'flush' : 'drift' });
        this.host.recordRepair(status.data.diff); // once per repair, with what was found
        this.host.markSynced(); // the last known status is the repaired kernel's, not the flushed one's
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
