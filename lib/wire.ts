/**
 * The shapes that cross between server and browser (page props, /api/state and /api/host answers,
 * action results): plain data only, so client components import their types from here and never
 * from a server module.
 */
import type { FirewallDiff } from '@/lib/domain/firewall/diff';
import type { HandMadeForward } from '@/lib/domain/firewall/handmade';
import type { Forward, ForwardStatus } from '@/lib/domain/forwards/forward';
import type { ForwardHealth, HealthChange } from '@/lib/domain/forwards/health';
import type { WorkloadRecord } from '@/lib/domain/records';
import type { InstanceRow, NodeRow, ServiceRow, Topology } from '@/lib/domain/views';

// Shapes the domain defines that the browser is handed as they are.
export type { ForwardHealth, HandMadeForward, HealthChange, InstanceRow, NodeRow, ServiceRow, Topology, WorkloadRecord };
export type { LaunchTemplate } from '@/lib/domain/cluster/templates';
export type { ExposeNaming, ExposeTarget } from '@/lib/schemas/expose';
export type { AccessChoice } from '@/lib/schemas/forward-form';

export interface ForwardView extends Forward {
  status: ForwardStatus | null;
  url: string | null; // the LAN URL, for tcp forwards
  traffic: ForwardTraffic | null; // null until the kernel has been read with counters
  health: ForwardHealth | null; // null until the first probe
}

/** A forward's traffic as the kernel counted it on its rules, kept across labgate's own rewrites of them. */
export interface ForwardTraffic {
  connections: number;
  bytes: number;
  lastUsed: string | null; // ISO; null: never used
  perMinute: number[]; // bytes in each minute of the last hour, oldest first
}

export interface HostStatus {
  backend: string;
  inSync: boolean;
  diff: FirewallDiff;
  handMade: HandMadeForward[];
  restores: number;
  ipForward: boolean | null;
  lastSync: { at: string; applied: boolean; error: string | null } | null;
  checkedAt: string; // when the kernel was last read whole
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  result: string; // "ok" or the error
}

export interface Health {
  apiserver: { ok: boolean; message: string | null };
  multipass: { ok: boolean; kind: string | null; message: string | null };
  ipForward: boolean | null; // null: could not be read
  firewall: { ok: boolean; message: string | null };
  problems: string[];
}

export interface Overview {
  counts: {
    instances: number;
    running: number;
    nodes: number;
    ready: number;
    services: number;
    nodePorts: number;
    pods: number;
    forwards: number;
    forwardsUp: number; // answered their last health probe
    forwardsDown: number;
  };
  health: Health;
  topology: Topology;
}

export interface InstancesView {
  rows: InstanceRow[];
  error: { kind: string; message: string } | null;
}

export interface NodesView {
  rows: NodeRow[];
  workloads: WorkloadRecord[];
  error: string | null;
}

export interface ServicesView {
  rows: ServiceRow[];
  total: number;
  namespaces: string[];
  error: string | null;
}

export interface ExposeResult {
  id: string;
  url: string;
  steps: { text: string; state: 'done' | 'failed' | 'undone' | 'skipped' }[];
  alreadyExposed?: boolean;
}

/** An image the Multipass daemon can launch (its find). */
export interface ImageChoice {
  os: string;
  release: string;
  version: string;
  aliases: string[];
  codename: string;
}

/** One step of a launch as the daemon streams it, in the pages' words. */
export interface LaunchStep {
  phase: 'download' | 'extract' | 'verify' | 'waiting' | 'message';
  text: string;
  percent: number | null;
}

/** A launch as the Instances page follows it. */
export interface LaunchProgress {
  name: string;
  step: LaunchStep;
  outcome: 'running' | 'launched' | 'failed';
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** An Expose's plan as the dialog shows it, before anything changes. */
export interface PlanView {
  title: string;
  listenPort: number;
  steps: string[];
  note?: string; // what the plan chose for the person (another nodePort than the usual one)
  choices?: { namespace: string; name: string }[]; // several Grafanas: the person picks
  lanName?: string; // the name it gets on the LAN (NAME.local)
  https?: boolean;
  signIn?: boolean; // only people signed in to labgate
  allowFrom?: string[]; // only these may reach it (as asked, or as its Service's annotation asks)
  device: string | null; // the address of the browser that asked for the plan, for "only this device"
}
