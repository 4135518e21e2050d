import 'server-only';
import { ACTION_WORDS } from '@/lib/domain/cluster/instances';
import type { InstanceRecord } from '@/lib/domain/records';
import { env } from '@/lib/env';
import { MultipassError } from '@/lib/multipass/errors.mts';
import { clientIdentity } from '@/lib/multipass/identity.mts';
import { MultipassRpc } from '@/lib/multipass/rpc.mts';
import type { ImageChoice, LaunchProgress, LaunchStep } from '@/lib/wire';
import { multipassWatcher } from '@/lib/multipass/watcher';
import type { Outcome } from '@/lib/result';
import { CHECK_FIELDS, fieldErrorsOf } from '@/lib/schemas/errors';
import { InstanceChange, LaunchInstance } from '@/lib/schemas/instances';
import type { AuditEntry } from './tables/audit';
import { hostService } from './wiring';
import { processSingleton } from '@/lib/process-wide';

/** The daemon's side of a change: MultipassRpc, or a fake in tests. */
export interface InstanceDaemon {
  lifecycle(name: string, change: InstanceChange): Promise<void>;
  launch(spec: LaunchInstance, onStep: (step: LaunchStep) => void): Promise<string>;
  find(): Promise<ImageChoice[]>;
}

/** A launch as the pages follow it: its last step, and how it ended. */
export type { LaunchProgress };

/** What a refused launch's LaunchError codes say, each on the field it is about. */
const LAUNCH_FIELDS: Record<string, { field: keyof LaunchInstance; says: (l: LaunchInstance) => string }> = {
  INVALID_MEM_SIZE: { field: 'memory', says: (l) => `Multipass does not take ${l.memory} as memory: at least 128M, such as 2G.` },
  INVALID_DISK_SIZE: { field: 'disk', says: (l) => `Multipass does not take ${l.disk} as a disk size: at least 512M, such as 10G.` },
  INVALID_HOSTNAME: {
    field: 'name',
    says: (l) => `Multipass does not take ${l.name} as a name: letters, digits and -, starting with a letter and not ending with -.`,
  },
};

/** How long a finished launch stays listed for the pages. */
const KEEP_FINISHED_MS = 10 * 60_000;

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

  private readonly launching = new Map<string, LaunchProgress>();

  /** Launches and those finished in the last minutes, newest first. */
  launches(): LaunchProgress[] {
    const now = Date.now();
    for (const [name, l] of this.launching)
      if (l.finishedAt && now - Date.parse(l.finishedAt) > KEEP_FINISHED_MS) this.launching.delete(name);
    return [...this.launching.values()].reverse();
  }

  async images(): Promise<Outcome<ImageChoice[]>> {
    try {
      return { ok: true, data: await (await this.deps.daemon()).find() };
    } catch (e) {
      const error = e instanceof MultipassError ? e : new MultipassError('failed', String(e));
      return { ok: false, status: statusOf(error), error: error.message };
    }
  }

  /**
   * Starts a launch and answers once the daemon has taken it (its first step) or refused it (its
   * LaunchError codes on their fields). The launch goes on; the pages follow it through launches().
   */
  async launch(input: unknown, actor: string): Promise<Outcome<LaunchProgress>> {
    const parsed = LaunchInstance.safeParse(input);
    if (!parsed.success) return { ok: false, status: 400, error: CHECK_FIELDS, fieldErrors: fieldErrorsOf(parsed.error) };
    const spec = parsed.data;
    const current = this.launching.get(spec.name);
    if (current?.outcome === 'running')
      return {
        ok: false,
        status: 409,
        error: `${spec.name} is being launched already.`,
        fieldErrors: { name: [`${spec.name} is being launched already.`] },
      };
    const progress: LaunchProgress = {
      name: spec.name,
      step: { phase: 'message', text: 'Asking Multipass', percent: null },
      outcome: 'running',
      error: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    const record = (result: string) =>
      this.deps.audit({
        actor,
        action: 'instance.launch',
        subject: spec.name,
        detail: `${spec.image}, ${spec.cpus} CPU, ${spec.memory}, ${spec.disk}`,
        result,
      });
    let taken: () => void = () => {};
    const accepted = new Promise<void>((resolve) => (taken = resolve));
    const done = (async () => {
      try {
        const daemon = await this.deps.daemon();
        await daemon.launch(spec, (step) => {
          if (!this.launching.has(spec.name)) this.launching.set(spec.name, progress);
          progress.step = step;
          taken();
        });
        Object.assign(progress, {
          outcome: 'launched',
          finishedAt: new Date().toISOString(),
          step: { phase: 'message', text: `${spec.name} is running`, percent: 100 },
        });
        this.launching.set(spec.name, progress);
        record('ok');
        await this.deps.refresh();
        return null;
      } catch (e) {
        const error = e instanceof MultipassError ? e : new MultipassError('failed', e instanceof Error ? e.message : String(e));
        Object.assign(progress, { outcome: 'failed', error: error.message, finishedAt: new Date().toISOString() });
        record(error.message);
        return error;
      }
    })();
    const refused = await Promise.race([accepted.then(() => null), done]);
    if (!refused) return { ok: true, data: progress };
    this.launching.delete(spec.name); // refused before it began: nothing to follow
    const fields = refused.launchErrors.map((code) => LAUNCH_FIELDS[code]).filter((f) => !!f);
    if (fields.length)
      return {
        ok: false,
        status: 400,
        error: refused.message,
        fieldErrors: Object.fromEntries(fields.map((f) => [f.field, [f.says(spec)]])),
      };
    const nameTaken = /already exists/.test(refused.message);
    return {
      ok: false,
      status: statusOf(refused),
      error: refused.message,
      ...(nameTaken ? { fieldErrors: { name: [refused.message] } } : {}),
    };
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

/** The host role's one instance control, on the daemon's socket with labgate's identity, writing to the host's audit log. */
export const instanceControl = processSingleton('instanceControl', () => {
  let rpc: Promise<MultipassRpc> | null = null;
  return new InstanceControl({
    daemon: () => (rpc ??= clientIdentity(env().dataDir).then((identity) => new MultipassRpc(env().multipassSocket, identity))),
    audit: (entry) =>
      void hostService()
        .then((host) => host.auditLog.record(entry))
        .catch((e: unknown) => console.error(`labgate: an instance change was not written to the audit log: ${String(e)}`)),
    refresh: async () => {
      await multipassWatcher().refresh();
      return multipassWatcher().snapshot().instances;
    },
  });
});
