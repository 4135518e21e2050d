import 'server-only';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ForwardState } from '@/lib/domain/forwards/forward';
import { env } from '@/lib/env';
import { STORE_STATES, storeHealth } from '@/lib/store/failure';
import { processSingleton } from '@/lib/process-wide';

const FORWARD_STATES: ForwardState[] = ['applied', 'pending', 'stale', 'error'];

interface ForwardTrafficSample {
  name: string;
  listenPort: number;
  connections: number;
  bytes: number;
}

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'labgate_' });
  let forwardCounts: (() => Map<ForwardState, number>) | null = null;
  let forwardTraffic: (() => ForwardTrafficSample[]) | null = null;
  // A Gauge set at each scrape from totals that only grow: Prometheus reads it as the counter it is.
  const trafficGauge = (name: string, help: string, field: 'connections' | 'bytes') =>
    new Gauge({
      name,
      help,
      labelNames: ['forward', 'port'],
      registers: [registry],
      collect() {
        this.reset();
        for (const f of forwardTraffic?.() ?? []) this.set({ forward: f.name, port: String(f.listenPort) }, f[field]);
      },
    });
  return {
    registry,
    forwards: new Gauge({
      name: 'labgate_forwards',
      help: 'Forwards in the store, by status (host role only).',
      labelNames: ['status'],
      registers: [registry],
      collect() {
        if (!forwardCounts) return;
        const counts = forwardCounts();
        for (const s of FORWARD_STATES) this.set({ status: s }, counts.get(s) ?? 0);
      },
    }),
    reconcileDuration: new Histogram({
      name: 'labgate_reconcile_duration_seconds',
      help: 'One reconcile: resolve every forward, read the kernel, apply if it differs.',
      labelNames: ['result'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    applies: new Counter({
      name: 'labgate_firewall_applies_total',
      help: 'iptables-restore transactions run, by result.',
      labelNames: ['result'],
      registers: [registry],
    }),
    repairs: new Counter({
      name: 'labgate_firewall_repairs_total',
      help: "Kernel state put back by the reconciler: flush (labgate's jumps or chains were gone) or drift (rules changed).",
      labelNames: ['kind'],
      registers: [registry],
    }),
    store: new Gauge({
      name: 'labgate_store_state',
      help: "The store's state: 1 for the one it is in (ok, full, read-only, locked, corrupt, unwritable).",
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const now = storeHealth(env().dataDir)?.state ?? 'ok';
        for (const s of STORE_STATES) this.set({ state: s }, s === now ? 1 : 0);
      },
    }),
    forwardConnections: trafficGauge(
      'labgate_forward_connections_total',
      "Connections a forward has taken, from the kernel's counters on its DNAT rules, kept across labgate's own rewrites of them (host role).",
      'connections',
    ),
    forwardBytes: trafficGauge(
      'labgate_forward_bytes_total',
      "Bytes through a forward, both directions, from the kernel's counters on its FORWARD rule, kept across labgate's own rewrites of them (host role).",
      'bytes',
    ),
    sourceErrors: new Counter({
      name: 'labgate_source_errors_total',
      help: 'Failed reads of a source: the Kubernetes API or Multipass.',
      labelNames: ['source'],
      registers: [registry],
    }),
    /** The host role says how to count its forwards; the ui role has none. */
    countForwardsWith(fn: () => Map<ForwardState, number>) {
      forwardCounts = fn;
    },
    /** The host role says where its forwards' traffic is. */
    countTrafficWith(fn: () => ForwardTrafficSample[]) {
      forwardTraffic = fn;
    },
  };
}

/** The process's one registry, shared by every module instance the bundler makes. */
export const metrics = processSingleton('metrics', create);
