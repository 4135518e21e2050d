import 'server-only';
import type { Database } from 'better-sqlite3';
import type { HandMadeForward } from '@/lib/domain/firewall/handmade';
import type { TargetPolicy } from '@/lib/domain/network/networks';
import type { HostNetwork } from '@/lib/domain/firewall/rules';
import type { ParsedSave } from '@/lib/domain/firewall/save-parse';
import type { TargetContext } from '@/lib/domain/forwards/targets';
import type { Env } from '@/lib/env';
import { storeRoom, type StoreProblem } from '@/lib/store/failure';
import type { TlsProxy } from './caddy';
import type { Firewall } from './firewall/firewall';
import type { Prober } from './health';
import type { LanNames } from './lan-names';
import { AuditLog, type AuditRetention } from './tables/audit';
import { ForwardStore } from './tables/forwards';
import { Journal } from './tables/journal';

/** Where targets come from: the cluster and Multipass, as the shared cache and watcher see them. */
export interface TargetSources {
  ready(): Promise<void>; // the first list and the first answer (instant afterwards)
  context(): Omit<TargetContext, 'policy'>; // null where a source is unreachable right now
  changed(timeoutMs: number): Promise<void>; // resolves at the cluster's next change, or after timeoutMs
}

/** What the host itself says: its LAN side, its own addresses and bridges, and what listens. */
export interface HostFacts {
  network(): HostNetwork; // throws when there is no LAN interface to take traffic from
  lanAddress(): string | null;
  policy(): TargetPolicy;
  ipForward(): boolean | null;
  portInUse(protocol: 'tcp' | 'udp', port: number): boolean;
  handMade(save: ParsedSave): HandMadeForward[];
}

/** Everything the host role's service is made of, passed in (tests pass stand-ins). */
export interface HostDeps {
  db: Database;
  firewall: Firewall;
  sources: TargetSources;
  facts: HostFacts;
  settings: Pick<Env, 'auditRetention' | 'journalRetentionDays' | 'lanName' | 'dataDir' | 'healthIntervalMs' | 'healthWebhook'>;
  names: LanNames; // NAME.local on the LAN
  tlsProxy: TlsProxy; // HTTPS in front of named forwards
  prober?: Prober; // how a forward's health is probed (the live one by default)
  targetSettleMs?: number; // how long a Service target that does not resolve yet is waited for
  storeRoom?: () => StoreProblem | null; // whether the data dir can take a change (tests make it say full)
}

// The dashboard's role makes a Service a NodePort and then asks for its forward (Expose): with
// two roles, this one's watch may see that change a moment after the request comes.
const TARGET_SETTLE_MS = 2_000;

/** The parts the host's rooms share: the stores on one connection, and the deps with their defaults. */
export interface HostParts extends Omit<HostDeps, 'settings' | 'targetSettleMs' | 'storeRoom'> {
  store: ForwardStore;
  auditLog: AuditLog;
  journal: Journal;
  dataDir: string;
  dashboardName: string | null;
  health: { intervalMs: number; webhook: string | null; retention: AuditRetention };
  targetSettleMs: number;
  storeRoom: () => StoreProblem | null;
  /** What resolution knows right now; null where a source is unreachable. */
  context(): TargetContext;
}

export function hostParts({ settings, targetSettleMs = TARGET_SETTLE_MS, storeRoom: room, ...deps }: HostDeps): HostParts {
  return {
    ...deps,
    store: new ForwardStore(deps.db),
    auditLog: new AuditLog(deps.db, settings.auditRetention),
    journal: new Journal(deps.db, settings.journalRetentionDays),
    dataDir: settings.dataDir,
    dashboardName: settings.lanName,
    health: { intervalMs: settings.healthIntervalMs, webhook: settings.healthWebhook, retention: settings.auditRetention },
    targetSettleMs,
    storeRoom: room ?? (() => storeRoom(settings.dataDir)),
    context: () => ({ ...deps.sources.context(), policy: deps.facts.policy() }),
  };
}
