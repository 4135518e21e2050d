import 'server-only';
import type { InstanceRecord } from '@/lib/domain/records';
import { metrics } from '@/lib/server/metrics';
import { listInstances, MultipassError, type CliRunner, execMultipass } from './cli';

export interface MultipassSnapshot {
  version: number;
  instances: InstanceRecord[]; // the last good answer; kept while the daemon is away
  error: { kind: string; message: string } | null;
  updatedAt: string | null;
}

/**
 * Asks the multipass CLI every few seconds, once for the whole server process, and tells
 * listeners when the answer changes. A failure keeps the last good instances and says why.
 */
export class MultipassWatcher {
  private snap: MultipassSnapshot = { version: 0, instances: [], error: null, updatedAt: null };
  private last = '';
  private readonly listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private first: Promise<void>;
  private readonly run: CliRunner;
  private readonly everyMs: number;

  constructor(run: CliRunner = execMultipass, everyMs = 2_000) {
    this.run = run;
    this.everyMs = everyMs;
    this.first = this.poll();
  }

  private async poll(): Promise<void> {
    let next: Pick<MultipassSnapshot, 'instances' | 'error'>;
    try {
      next = { instances: await listInstances(this.run), error: null };
    } catch (e) {
      metrics().sourceErrors.inc({ source: 'multipass' });
      const err = e instanceof MultipassError ? { kind: e.kind, message: e.message } : { kind: 'failed', message: String(e) };
      next = { instances: this.snap.instances, error: err };
    }
    const fingerprint = JSON.stringify(next);
    if (fingerprint !== this.last) {
      this.last = fingerprint;
      this.snap = { ...next, version: this.snap.version + 1, updatedAt: new Date().toISOString() };
      for (const l of this.listeners) l();
    }
    this.timer = setTimeout(() => void this.poll(), this.everyMs);
  }

  async ready(): Promise<void> {
    await this.first;
  }

  snapshot(): MultipassSnapshot {
    return this.snap;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

const holder = globalThis as typeof globalThis & { labgateMultipass?: MultipassWatcher };

export function multipassWatcher(): MultipassWatcher {
  holder.labgateMultipass ??= new MultipassWatcher();
  return holder.labgateMultipass;
}
