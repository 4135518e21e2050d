import 'server-only';
import { kubeCache } from '@/lib/kube/cache';
import { multipassWatcher } from '@/lib/multipass/watcher';
import type { FirewallDiff } from '@/lib/domain/diff';
import { metrics } from '@/lib/server/metrics';
import { ProblemLog } from '@/lib/server/problem-log';
import type { HostService } from './service';

const BATCH_MS = 200; // at most one apply per batch of changes
const CHECK_MS = 1_000; // how often the kernel is checked for a flush or reboot

/** A flush or reboot took labgate's chains or jumps; anything less is drift. */
const isFlush = (d: FirewallDiff) => d.missingChains.length > 0 || d.missingJumps.nat.length + d.missingJumps.filter.length > 0;

/**
 * Keeps the kernel true to the store: applies it at start (the reboot case), follows the
 * cluster and Multipass (a pod moves, a VM's address changes) and repairs what someone else
 * flushed, checking labgate's chains, jumps and rules every second.
 */
export class Reconciler {
  private readonly host: HostService;
  private timer: NodeJS.Timeout | null = null;
  private checker: NodeJS.Timeout | null = null;
  private offs: (() => void)[] = [];
  private checking = false;
  private readonly problems = new ProblemLog('firewall check');

  constructor(host: HostService) {
    this.host = host;
  }

  async start(): Promise<void> {
    await Promise.all([kubeCache().ready(), multipassWatcher().ready()]);
    await this.host.sync();
    this.offs.push(
      kubeCache().onChange(() => this.request()),
      multipassWatcher().onChange(() => this.request()),
    );
    this.checker = setInterval(() => void this.check(), CHECK_MS);
  }

  /** Coalesces bursts of changes into one sync. */
  request(): void {
    this.timer ??= setTimeout(() => {
      this.timer = null;
      void this.host.sync();
    }, BATCH_MS);
  }

  private async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const status = await this.host.status();
      if (!status.ok) return this.problems.report(status.error);
      const repaired = status.data.inSync ? null : await this.host.sync();
      if (repaired?.ok) metrics().repairs.inc({ kind: isFlush(status.data.diff) ? 'flush' : 'drift' });
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
