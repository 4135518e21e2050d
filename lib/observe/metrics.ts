import 'server-only';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ForwardState } from '@/lib/domain/forwards/forward';
import type { ForwardHealth } from '@/lib/domain/forwards/health';
import { env } from '@/lib/env';
import { STORE_STATES, storeHealth } from '@/lib/store/failure';
import { processSingleton } from '@/lib/process-wide';

const FORWARD_STATES: ForwardState[] = ['applied', 'pending', 'stale', 'error'];

/** One forward as /metrics shows it: its traffic and its health, where known. */
export interface ForwardSample {
  name: string;
  listenPort: number;
  traffic: { connections: number; bytes: number } | null;
  health: ForwardHealth | null;
}

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'labgate_' });
  let forwardCounts: (() => Map<ForwardState, number>) | null = null;
  let forwardSamples: (() => ForwardSample[]) | null = null;
  // A Gauge per forward set at each scrape; for totals that only grow, Prometheus reads it as the counter it is.
  const forwardGauge = (name: string, help: string, value: (f: ForwardSample) => number | null | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['forward', 'port'],
      registers: [registry],
      collect() {
        this.reset();
        for (const f of forwardSamples?.() ?? []) {
          const v = value(f);
          if (v !== null && v !== undefined) this.set({ forward: f.name, port: String(f.listenPort) }, v);
        }
      },
    });
  const probed = (f: ForwardSample) => (f.health && f.health.state !== 'unknown' ? f.health : null);
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
    forwardConnections: forwardGauge(
      'labgate_forward_connections_total',
      "Connections from the LAN a forward has taken, from the kernel's counters on its DNAT rules, kept across labgate's own rewrites of them (host role).",
      (f) => f.traffic?.connections,
    ),
    forwardBytes: forwardGauge(
      'labgate_forward_bytes_total',
      "Bytes through a forward, both directions, from the kernel's counters on its FORWARD rule, kept across labgate's own rewrites of them (host role).",
      (f) => f.traffic?.bytes,
    ),
    forwardUp: forwardGauge('labgate_forward_up', "1 when the forward's last health probe answered, 0 when it did not (host role).", (f) =>
      probed(f) ? Number(probed(f)!.state === 'up') : null,
    ),
    forwardResponse: forwardGauge('labgate_forward_response_seconds', "The last health probe's answer time (host role).", (f) =>
      probed(f)?.responseMs != null ? probed(f)!.responseMs! / 1000 : null,
    ),
    forwardUptimeDay: forwardGauge(
      'labgate_forward_uptime_day_ratio',
      'The share of the last 24 hours the forward answered its probes (host role).',
      (f) => probed(f)?.uptimeDay,
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
    /** The host role says where its forwards' traffic and health are. */
    describeForwardsWith(fn: () => ForwardSample[]) {
      forwardSamples = fn;
    },
  };
}

/** The process's one registry, shared by every module instance the bundler makes. */
export const metrics = processSingleton('metrics', create);
