import 'server-only';
import type { FirewallDiff } from '@/lib/domain/firewall/diff';
import { describeDrift } from '@/lib/domain/firewall/drift';
import type { Forward, ForwardState } from '@/lib/domain/forwards/forward';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { lanUrl } from '@/lib/domain/network/lan-url';
import { shown, targetProblem } from '@/lib/domain/network/networks';
import { rulesOf, type ParsedSave } from '@/lib/domain/firewall/save-parse';
import { ConcurrencyLimit } from '@/lib/concurrency';
import { fail, type Outcome } from '@/lib/result';
import { CHECK_FIELDS, fieldErrorsOf } from '@/lib/schemas/errors';
import { AdoptRule, CreateForward, ForwardId, UpdateForward } from '@/lib/schemas/forwards';
import { metrics } from '@/lib/observe/metrics';
import type { ForwardView, HostStatus } from '@/lib/wire';
import { addressOf, checkForward, claimName } from './checks';
import { hostParts, type HostDeps, type HostParts } from './deps';
import { exportRules, readKernel } from './drift';
import { HealthMonitor } from './health';
import { KernelView } from './reconciler';
import { newForwardId } from './tables/forwards';
import { HostSync, recordOutcome } from './sync';

export type { HostDeps, HostFacts, TargetSources } from './deps';
export type { ForwardView, HostStatus };

/**
 * The host role's service: forwards validated, changed and kept in the kernel one at a time
 * (./checks, ./sync), and what the kernel holds against the store (./drift). Its stores are
 * its own: the audit log and the journal are read and written through them directly.
 */
export class HostService {
  private readonly parts: HostParts;
  private readonly queue = new ConcurrencyLimit(1); // every change and every sync, one at a time, in the order they came
  private readonly syncer: HostSync;
  /** The last full read of the kernel: what pages are shown, and what the reconciler's cheap check compares with. */
  readonly kernel: KernelView;
  /** Is each forward up: the probes' last answers and the changes they saw. */
  readonly health: HealthMonitor;

  constructor(deps: HostDeps) {
    this.parts = hostParts(deps);
    this.syncer = new HostSync(this.parts);
    this.kernel = new KernelView(this.parts, () => this.syncer.lastSync);
    this.health = new HealthMonitor(this.parts);
    metrics().countForwardsWith(() => {
      const statuses = this.parts.store.statuses();
      const counts = new Map<ForwardState, number>();
      for (const f of this.parts.store.list()) {
        const state = statuses.get(f.id)?.state ?? 'pending';
        counts.set(state, (counts.get(state) ?? 0) + 1);
      }
      return counts;
    });
    metrics().describeForwardsWith(() =>
      this.parts.store
        .list()
        .map((f) => ({ name: f.name, listenPort: f.listenPort, traffic: this.kernel.traffic(f.id), health: this.health.health(f.id) })),
    );
  }

  /** The one audit log: the host's changes, and the ui's Kubernetes changes and logins. */
  get auditLog() {
    return this.parts.auditLog;
  }

  /** Multi-step operations (Expose), so that a half-done one can be finished or undone after a crash. */
  get journal() {
    return this.parts.journal;
  }

  /** The desired forwards as stored, without their status. */
  desired(): Forward[] {
    return this.parts.store.list();
  }

  list(): ForwardView[] {
    const statuses = this.parts.store.statuses();
    return this.parts.store.list().map((f) => ({
      ...f,
      status: statuses.get(f.id) ?? null,
      url: lanUrl(f, addressOf(this.parts, f)),
      traffic: this.kernel.traffic(f.id),
      health: this.health.health(f.id),
    }));
  }

  get(id: string): Outcome<ForwardView> {
    const parsed = ForwardId.safeParse(id);
    if (!parsed.success) return fail(400, parsed.error.issues[0]!.message);
    const view = this.list().find((f) => f.id === parsed.data);
    return view ? { ok: true, data: view } : fail(404, `No forward ${parsed.data}.`);
  }

  create(raw: unknown, actor: string): Promise<Outcome<ForwardView>> {
    const parsed = CreateForward.safeParse(raw);
    if (!parsed.success) return Promise.resolve(fail(400, CHECK_FIELDS, fieldErrorsOf(parsed.error)));
    const input = parsed.data;
    return this.queue.run(async () => {
      const checked = await checkForward(this.parts, input, null);
      if (!checked.ok) return recordOutcome(this.parts, actor, 'forward.create', `:${input.listenPort}`, checked);
      const claimed = await claimName(this.parts, input, null);
      if (!claimed.ok)
        return recordOutcome(this.parts, actor, 'forward.create', `${mdnsName(input.lanName!)} :${input.listenPort}`, claimed);
      const id = newForwardId();
      const applied = await this.syncer.apply({
        write: () => void this.parts.store.insert(input, actor, id),
        audit: { actor, action: 'forward.create', subject: `${input.name} :${input.listenPort}` },
      });
      if (applied.ok) this.health.forwardsChanged();
      return applied.ok ? this.get(id) : applied;
    });
  }

  update(raw: unknown, actor: string): Promise<Outcome<ForwardView>> {
    const parsed = UpdateForward.safeParse(raw);
    if (!parsed.success) return Promise.resolve(fail(400, CHECK_FIELDS, fieldErrorsOf(parsed.error)));
    return this.queue.run(async () => {
      const before = this.parts.store.stored(parsed.data.id);
      if (!before) return fail(404, `No forward ${parsed.data.id}.`);
      const { id, ...changes } = parsed.data;
      const { name, protocol, listenPort, listenAddress, target, description, lanName, tls, allowFrom, signIn } = before; // what a person asked for, not who or when
      const merged = CreateForward.parse(
        Object.fromEntries(
          Object.entries({
            name,
            protocol,
            listenPort,
            listenAddress,
            target,
            description,
            lanName,
            tls,
            allowFrom,
            signIn,
            ...changes,
            ...(changes.lanName === null ? { tls: null } : {}),
            ...(changes.lanName === null || changes.tls === null ? { signIn: null } : {}),
          }).filter(
            ([, v]) => v !== null && v !== undefined, // null: take it away (a name, HTTPS)
          ),
        ),
      );
      const checked = await checkForward(this.parts, merged, id);
      if (!checked.ok) return recordOutcome(this.parts, actor, 'forward.update', `${before.name} :${before.listenPort}`, checked);
      const claimed = await claimName(this.parts, merged, before);
      if (!claimed.ok) return recordOutcome(this.parts, actor, 'forward.update', `${before.name} :${before.listenPort}`, claimed);
      const applied = await this.syncer.apply({
        write: () => this.parts.store.update(id, merged), // one UPDATE: the forward keeps its status and its sticky node
        audit: { actor, action: 'forward.update', subject: `${merged.name} :${merged.listenPort}` },
      });
      if (applied.ok) this.health.forwardsChanged();
      return applied.ok ? this.get(id) : applied;
    });
  }

  remove(rawId: unknown, actor: string): Promise<Outcome<{ id: string }>> {
    const parsed = ForwardId.safeParse(rawId);
    if (!parsed.success) return Promise.resolve(fail(400, parsed.error.issues[0]!.message));
    return this.queue.run(async () => {
      const before = this.parts.store.stored(parsed.data);
      if (!before) return fail(404, `No forward ${parsed.data}.`);
      const applied = await this.syncer.apply({
        write: () => void this.parts.store.remove(before.id),
        audit: { actor, action: 'forward.delete', subject: `${before.name} :${before.listenPort}` },
      });
      return applied.ok ? { ok: true, data: { id: before.id } } : applied;
    });
  }

  /** Resolve every forward, write the kernel if it differs, record each one's status. Queued. `actual`: the kernel as just read. */
  sync(actual?: ParsedSave): Promise<Outcome<{ applied: boolean }>> {
    return this.queue.run(() => this.syncer.apply(null, actual));
  }

  /**
   * Takes over a hand-made forward: labgate's equivalent forward is added and exactly the
   * hand-made rules are removed, in one transaction. Only with explicit confirmation.
   */
  adopt(raw: unknown, actor: string): Promise<Outcome<ForwardView>> {
    const parsed = AdoptRule.safeParse(raw);
    if (!parsed.success) return Promise.resolve(fail(400, parsed.error.issues[0]!.message, fieldErrorsOf(parsed.error)));
    return this.queue.run(async () => {
      const save = await readKernel(this.parts.firewall);
      if (!save.ok) return save;
      const h = this.parts.facts.handMade(save.data).find((x) => x.key === parsed.data.ruleKey);
      if (!h) return fail(404, 'That hand-made forward is no longer on the host.');
      if (h.restrictions.length && !parsed.data.widen) {
        return fail(
          409,
          `Adopting would widen this forward: ${h.restrictions.join('; ')}. labgate's forward takes all traffic to port ${h.listenPort} from the LAN. Confirm that, or change the rules by hand.`,
        );
      }
      const problem = targetProblem(h.targetIP, this.parts.facts.policy());
      if (problem) return fail(422, `${shown(h.targetIP)} is ${problem}.`);
      if (this.parts.store.list().some((f) => f.protocol === h.protocol && f.listenPort === h.listenPort))
        return fail(409, `labgate already forwards port ${h.listenPort}.`);
      const id = newForwardId();
      const input = {
        name: `Adopted :${h.listenPort}`,
        protocol: h.protocol,
        listenPort: h.listenPort,
        target: { kind: 'static' as const, ip: h.targetIP, port: h.targetPort },
        description: 'adopted from hand-made rules',
      };
      const applied = await this.syncer.apply({
        write: () => void this.parts.store.insert(input, actor, id),
        audit: { actor, action: 'forward.adopt', subject: `:${h.listenPort} → ${h.targetIP}:${h.targetPort}` },
        adopt: h.rules,
        reinstate: h.rules.map((r) => ({ ...r, position: positionOf(save.data, r) })),
      });
      return applied.ok ? this.get(id) : applied;
    });
  }

  /** A full read of the kernel, kept as the last known status (`save`: one the caller has just read). */
  status(save?: ParsedSave): Promise<Outcome<HostStatus>> {
    return this.kernel.status(save);
  }

  /** The last full read, with the latest sync's outcome, without reading the kernel again (what pages ask for). */
  lastStatus(): Promise<Outcome<HostStatus>> {
    return this.kernel.lastStatus();
  }

  exportRules(): Promise<Outcome<string>> {
    return exportRules(this.parts.firewall);
  }

  /** A repair the reconciler made, in the activity log with what it found. */
  recordRepair(diff: FirewallDiff): void {
    recordOutcome(
      this.parts,
      'reconciler',
      'firewall.repair',
      "labgate's chains",
      { ok: true, data: null },
      describeDrift(diff, this.parts.firewall.owner),
    );
  }
}

/** A hand-made rule's position in its chain (1 is the first), so an adoption can put it back where it stood. */
function positionOf(save: ParsedSave, rule: { table: 'nat' | 'filter'; line: string }): number {
  const chain = /^-A (\S+)/.exec(rule.line)?.[1] ?? '';
  return rulesOf(save, rule.table, chain).findIndex((r) => r.text === rule.line) + 1 || 1;
}
