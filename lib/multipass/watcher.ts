import 'server-only';
import type { InstanceRecord } from '@/lib/domain/records';
import { metrics } from '@/lib/observe/metrics';
import { env } from '@/lib/env';
import { MultipassError } from './errors.mts';
import { clientIdentity } from './identity.mts';
import { MultipassRpc } from './rpc.mts';
import { processSingleton } from '@/lib/process-wide';

/** Where the instances come from: by default the daemon's gRPC API, with labgate's identity. */
export type InstanceSource = () => Promise<InstanceRecord[]>;

function daemonSource(): InstanceSource {
  let rpc: Promise<MultipassRpc> | null = null;
  return async () => {
    rpc ??= clientIdentity(env().dataDir).then((identity) => new MultipassRpc(env().multipassSocket, identity));
    return (await rpc).info();
  };
}

export interface MultipassSnapshot {
  version: number; // moves with what forwards and the topology depend on, not with telemetry
  instances: InstanceRecord[]; // the last good answer; kept while the daemon is away
  error: { kind: string; message: string } | null;
  updatedAt: string | null;
}

/** How often changed telemetry alone (load, memory, disk) refreshes the pages. */
export const TELEMETRY_MS = 30_000;

/** What forwards, the topology and the pages' structure depend on: an instance without its telemetry. */
const identity = ({ load: _load, memory: _memory, disk: _disk, ...rest }: InstanceRecord) => rest;
const telemetry = ({ name, load, memory, disk }: InstanceRecord) => ({ name, load, memory, disk });

/**
 * Asks the Multipass daemon every few seconds, once for the whole server process. A change of identity,
 * state, addresses or release (or the daemon's health) tells `onChange` listeners at once: the
 * reconciler and the pages. Telemetry moves on every poll of a real daemon; it is kept current
 * in the snapshot and tells `onTelemetry` listeners (the pages only) at most every TELEMETRY_MS.
 * A failure keeps the last good instances and says why.
 */
export class MultipassWatcher {
  private snap: MultipassSnapshot = { version: 0, instances: [], error: null, updatedAt: null };
  private lastIdentity = '';
  private lastTelemetry = '';
  private telemetryPending = false;
  private telemetryToldAt = 0;
  private readonly listeners = new Set<() => void>();
  private readonly telemetryListeners = new Set<() => void>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private first: Promise<void>;
  private current: Promise<void>;
  private readonly source: InstanceSource;
  private readonly everyMs: number;

  constructor(source: InstanceSource = daemonSource(), everyMs = 2_000) {
    this.source = source;
    this.everyMs = everyMs;
    this.first = this.current = this.poll();
  }

  private async poll(): Promise<void> {
    let next: Pick<MultipassSnapshot, 'instances' | 'error'>;
    try {
      next = { instances: await this.source(), error: null };
    } catch (e) {
      metrics().sourceErrors.inc({ source: 'multipass' });
      const err = e instanceof MultipassError ? { kind: e.kind, message: e.message } : { kind: 'failed', message: String(e) };
      next = { instances: this.snap.instances, error: err };
    }
    const ident = JSON.stringify({ instances: next.instances.map(identity), error: next.error });
    const tele = JSON.stringify(next.instances.map(telemetry));
    if (ident !== this.lastIdentity) {
      this.lastIdentity = ident;
      this.lastTelemetry = tele;
      this.snap = { ...next, version: this.snap.version + 1, updatedAt: new Date().toISOString() };
      this.telemetryPending = false;
      this.telemetryToldAt = Date.now();
      for (const l of this.listeners) l();
    } else if (tele !== this.lastTelemetry) {
      this.lastTelemetry = tele;
      this.snap = { ...this.snap, instances: next.instances };
      this.telemetryPending = true;
    }
    if (this.telemetryPending && Date.now() - this.telemetryToldAt >= TELEMETRY_MS) {
      this.telemetryPending = false;
      this.telemetryToldAt = Date.now();
      for (const l of this.telemetryListeners) l();
    }
    // The next call once this one has its answer: a slow daemon is never asked twice at once.
    if (!this.stopped) this.timer = setTimeout(() => void (this.current = this.poll()), this.everyMs);
  }

  async ready(): Promise<void> {
    await this.first;
  }

  /** Asks now (after a call already out), as after a change labgate made: its listeners hear of it at once. */
  async refresh(): Promise<void> {
    const before = this.current;
    await before;
    if (this.stopped) return;
    if (this.current !== before) return this.current; // another refresh asked already
    if (this.timer) clearTimeout(this.timer);
    await (this.current = this.poll());
  }

  snapshot(): MultipassSnapshot {
    return this.snap;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onTelemetry(listener: () => void): () => void {
    this.telemetryListeners.add(listener);
    return () => this.telemetryListeners.delete(listener);
  }

  stop(): void {
    this.stopped = true; // a call still out schedules no next one
    if (this.timer) clearTimeout(this.timer);
  }
}

export const multipassWatcher = processSingleton('multipassWatcher', () => new MultipassWatcher());
