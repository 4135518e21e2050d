import 'server-only';
import { ACTION_WORDS } from '@/lib/domain/instances';
import type { InstanceRecord } from '@/lib/domain/records';
import { env } from '@/lib/env';
import { MultipassError } from '@/lib/multipass/errors.mts';
import { clientIdentity } from '@/lib/multipass/identity.mts';
import { MultipassRpc } from '@/lib/multipass/rpc.mts';
import { multipassWatcher } from '@/lib/multipass/watcher';
import type { Outcome } from '@/lib/result';
import { CHECK_FIELDS, fieldErrorsOf } from '@/lib/schemas/errors';
import { InstanceChange } from '@/lib/schemas/instances';
import type { AuditEntry } from './store/audit';

/** The daemon's side of a change: MultipassRpc, or a fake in tests. */
export interface InstanceDaemon {
  lifecycle(name: string, change: InstanceChange): Promise<void>;
}

export interface InstanceControlDeps {
  daemon: () => Promise<InstanceDaemon>;
  audit: (entry: Omit<AuditEntry, 'id' | 'at'>) => void;
  /** Asks Multipass again now, so the pages and the forwards see the new state without waiting for the next poll. */
  refresh: () => Promise<InstanceRecord[]>;
}

export interface InstanceChanged {
  instance: string;
  action: InstanceChange['action'];
  state: string | null; // as Multipass reports it right after; null once purged
  message: string;
}

/** Multipass's refusals are the person's to fix (409); the daemon away or slow is the host's (503). */
const statusOf = (e: MultipassError) => (e.kind === 'refused' ? 409 : e.kind === 'timeout' ? 504 : 503);

const detailOf = (c: InstanceChange) =>
  c.action === 'stop' && c.delayMinutes ? `in ${c.delayMinutes} min` : c.action === 'delete' && c.purge ? 'purge' : '';

/**
 * Starts, stops, suspends, restarts and deletes instances through the Multipass daemon, each
 * checked against its schema and written to the audit log. Forwards to an instance that goes
 * down stay (the reconciler marks them stale) and take traffic again when it runs.
 */
export class InstanceControl {
  private readonly deps: InstanceControlDeps;

  constructor(deps: InstanceControlDeps) {
    this.deps = deps;
  }

  async change(input: unknown, actor: string): Promise<Outcome<InstanceChanged>> {
    const parsed = InstanceChange.safeParse(input);
    if (!parsed.success) return { ok: false, status: 400, error: CHECK_FIELDS, fieldErrors: fieldErrorsOf(parsed.error) };
    const change = parsed.data;
    const record = (result: string) =>
      this.deps.audit({ actor, action: `instance.${change.action}`, subject: change.instance, detail: detailOf(change), result });
    try {
      await (await this.deps.daemon()).lifecycle(change.instance, change);
    } catch (e) {
      const error = e instanceof MultipassError ? e : new MultipassError('failed', e instanceof Error ? e.message : String(e));
      record(error.message);
      return { ok: false, status: statusOf(error), error: error.message };
    }
    record('ok');
    const after = (await this.deps.refresh()).find((i) => i.name === change.instance);
    const words = ACTION_WORDS[change.action]!;
    const message =
      change.action === 'stop' && change.delayMinutes
        ? `${change.instance} stops in ${change.delayMinutes} minute${change.delayMinutes === 1 ? '' : 's'}.`
        : change.action === 'delete' && change.purge
          ? `${change.instance} deleted and purged.`
          : `${change.instance} ${words.done}.`;
    return { ok: true, data: { instance: change.instance, action: change.action, state: after?.state ?? null, message } };
  }
}

const holder = globalThis as typeof globalThis & { labgateInstances?: InstanceControl };

/** The host role's one instance control, on the daemon's socket with labgate's identity. */
export function instanceControl(audit: InstanceControlDeps['audit']): InstanceControl {
  let rpc: Promise<MultipassRpc> | null = null;
  holder.labgateInstances ??= new InstanceControl({
    daemon: () => (rpc ??= clientIdentity(env().dataDir).then((identity) => new MultipassRpc(env().multipassSocket, identity))),
    audit,
    refresh: async () => {
      await multipassWatcher().refresh();
      return multipassWatcher().snapshot().instances;
    },
  });
  return holder.labgateInstances;
}
