import 'server-only';
import { diffFirewall, type FirewallDiff } from '@/lib/domain/diff';
import { describeDrift } from '@/lib/domain/drift';
import { forwardRuleProblem, renderRules } from '@/lib/domain/rules';
import type { Forward, ForwardState, ForwardStatus, ResolvedForward } from '@/lib/domain/forward';
import { shown, targetProblem, type TargetPolicy } from '@/lib/domain/networks';
import { rulesOf, type ParsedSave } from '@/lib/domain/save-parse';
import type { HandMadeForward } from '@/lib/domain/handmade';
import { resolveTarget, type Resolution, type TargetContext } from '@/lib/domain/targets';
import type { Database } from 'better-sqlite3';
import { env } from '@/lib/env';
import { kubeCache } from '@/lib/kube/cache';
import { multipassWatcher } from '@/lib/multipass/watcher';
import type { Outcome } from '@/lib/result';
import { CHECK_FIELDS, fieldErrorsOf } from '@/lib/schemas/errors';
import { AdoptRule, CreateForward, ForwardId, UpdateForward } from '@/lib/schemas/forwards';
import { metrics } from '@/lib/server/metrics';
import { db } from '@/lib/store/db';
import type { Env } from '@/lib/env';
import type { HostNetwork } from '@/lib/domain/rules';
import type { AuditEntry } from '@/lib/wire';
import type { JournalEntry } from './store/journal';
import { Firewall, FirewallError, ownRulesOf } from './firewall/firewall';
import { installId } from './owner';
import { detectBackend, execRunner } from './firewall/runner';
import { handMadeOn, hostAddresses, hostNetwork, hostNetworkOrNull, ipForwardEnabled, multipassBridges, portInUseOnHost } from './hostinfo';
import { hostChanged } from './events';
import { SerialQueue } from './queue';
import { CaddyAdmin, type TlsProxy } from './caddy';
import { AvahiNames, type LanNames } from './lan-names';
import { HTTPS_NEEDS_NAME, mdnsName } from '@/lib/domain/lan-names';
import type { Site } from '@/lib/domain/caddy';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { AuditLog } from './store/audit';
import { ForwardStore, newForwardId } from './store/forwards';
import { noteStoreFailure, noteStoreWritten, storeFailure, storeRoom, type StoreProblem } from '@/lib/store/failure';
import type { SiteTls } from '@/lib/schemas/names';
import type { ReinstatedRule } from '@/lib/domain/rules';
import { Journal } from './store/journal';
import type { ForwardView, HostStatus } from '@/lib/wire';

export type { ForwardView, HostStatus };

const fail = (status: number, error: string, fieldErrors?: Record<string, string[]>): Outcome<never> => ({
  ok: false,
  status,
  error,
  fieldErrors,
});

/**
 * Forwards: validate, write, sync the kernel, record — one at a time. If the kernel refuses,
 * the store change is undone, so store and kernel never disagree after a call returns.
 */
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

export interface HostDeps {
  db: Database;
  firewall: Firewall;
  sources: TargetSources;
  facts: HostFacts;
  settings: Pick<Env, 'auditRetention' | 'journalRetentionDays' | 'lanName' | 'dataDir'>;
  names: LanNames; // NAME.local on the LAN
  tlsProxy: TlsProxy; // HTTPS in front of named forwards
  targetSettleMs?: number; // how long a Service target that does not resolve yet is waited for
  storeRoom?: () => StoreProblem | null; // whether the data dir can take a change (tests make it say full)
}

// The dashboard's role makes a Service a NodePort and then asks for its forward (Expose): with
// two roles, this one's watch may see that change a moment after the request comes.
const TARGET_SETTLE_MS = 2_000;

export class HostService {
  private readonly store: ForwardStore;
  private readonly auditLog: AuditLog;
  private readonly journalStore: Journal;
  private readonly firewall: Firewall;
  private readonly sources: TargetSources;
  private readonly facts: HostFacts;
  private readonly names: LanNames;
  private readonly tlsProxy: TlsProxy;
  private readonly targetSettleMs: number;
  private readonly dashboardName: string | null;
  private readonly queue = new SerialQueue();
  private readonly db: Database;
  private readonly dataDir: string;
  private readonly storeRoom: () => StoreProblem | null;
  private lastSync: HostStatus['lastSync'] = null;
  /** The last full read of the kernel, and how many restores this process had made by then. */
  private lastRead: { at: number; restores: number; status: Outcome<HostStatus>; own: string | null } | null = null;

  constructor({ db, firewall, sources, facts, settings, names, tlsProxy, targetSettleMs = TARGET_SETTLE_MS, storeRoom: room }: HostDeps) {
    this.db = db;
    this.dataDir = settings.dataDir;
    this.storeRoom = room ?? (() => storeRoom(settings.dataDir));
    this.names = names;
    this.targetSettleMs = targetSettleMs;
    this.tlsProxy = tlsProxy;
    this.dashboardName = settings.lanName;
    this.store = new ForwardStore(db);
    this.auditLog = new AuditLog(db, settings.auditRetention);
    this.journalStore = new Journal(db, settings.journalRetentionDays);
    this.firewall = firewall;
    this.sources = sources;
    this.facts = facts;
    metrics().countForwardsWith(() => {
      const statuses = this.store.statuses();
      const counts = new Map<ForwardState, number>();
      for (const f of this.store.list()) {
        const state = statuses.get(f.id)?.state ?? 'pending';
        counts.set(state, (counts.get(state) ?? 0) + 1);
      }
      return counts;
    });
  }

  /** What resolution knows right now; null where a source is unreachable. */
  private context(): TargetContext {
    return { ...this.sources.context(), policy: this.facts.policy() };
  }

  private url(f: Forward): string | null {
    if (f.protocol !== 'tcp') return null;
    if (f.lanName) return f.https ? `https://${mdnsName(f.lanName)}/` : `http://${mdnsName(f.lanName)}:${f.listenPort}/`;
    const address = this.address(f);
    return address ? `http://${address}:${f.listenPort}/` : null;
  }

  /** The host address a forward takes traffic on: its own listen address, else the LAN's. */
  private address(f: { listenAddress?: string | null }): string | null {
    return f.listenAddress ?? this.facts.lanAddress();
  }

  /** A name and its certificate, checked before anything is published or written. */
  private nameProblem(input: CreateForward, exceptId: string | null): Outcome<never> | null {
    const refuse = (field: 'lanName' | 'tls', message: string) => fail(422, message, { [field]: [message] });
    if (input.tls && !input.lanName) return refuse('tls', HTTPS_NEEDS_NAME);
    if (!input.lanName) return null;
    if (input.lanName === this.dashboardName) return refuse('lanName', `${mdnsName(input.lanName)} is the dashboard's own name.`);
    if (!this.address(input)) return refuse('lanName', 'This host has no LAN address to publish the name with.');
    if (input.tls) {
      if (input.protocol !== 'tcp') return refuse('tls', 'HTTPS is for TCP forwards.');
      const clash = this.store.list().find((f) => f.id !== exceptId && f.https && f.lanName === input.lanName);
      if (clash) return refuse('lanName', `https://${mdnsName(input.lanName)}/ is already served for "${clash.name}".`);
      try {
        const cert = new X509Certificate(input.tls.certificate);
        if (!cert.checkHost(mdnsName(input.lanName))) return refuse('tls', `The certificate is not for ${mdnsName(input.lanName)}.`);
        if (!cert.checkPrivateKey(createPrivateKey(input.tls.key))) return refuse('tls', 'The key does not belong to the certificate.');
        if (new Date(cert.validTo).getTime() <= Date.now()) return refuse('tls', 'The certificate has expired.');
      } catch {
        return refuse('tls', 'The certificate or its key cannot be read.');
      }
    }
    return null;
  }

  /** Publishes a forward's new name before anything is written: a name taken on the LAN is refused, with an alternative. */
  private async claimName(input: CreateForward, before: Forward | null): Promise<Outcome<null>> {
    if (!input.lanName) return { ok: true, data: null };
    const address = this.address(input)!;
    if (before?.lanName === input.lanName && this.address(before) === address) return { ok: true, data: null };
    const claimed = await this.names.claim(input.lanName, address);
    return claimed.ok ? claimed : fail(claimed.status, claimed.error, { lanName: [claimed.error] });
  }

  /** The desired forwards as stored, without their status. */
  desired(): Forward[] {
    return this.store.list();
  }

  list(): ForwardView[] {
    const statuses = this.store.statuses();
    return this.store.list().map((f) => ({ ...f, status: statuses.get(f.id) ?? null, url: this.url(f) }));
  }

  get(id: string): Outcome<ForwardView> {
    const parsed = ForwardId.safeParse(id);
    if (!parsed.success) return fail(400, parsed.error.issues[0]!.message);
    const view = this.list().find((f) => f.id === parsed.data);
    return view ? { ok: true, data: view } : fail(404, `No forward ${parsed.data}.`);
  }

  /** Checks a new or changed forward against the host before anything is written. */
  private async check(input: CreateForward, exceptId: string | null): Promise<Outcome<Resolution & { ok: true }>> {
    const badName = this.nameProblem(input, exceptId);
    if (badName) return badName;
    await this.sources.ready();
    if (this.facts.ipForward() === false) {
      return fail(
        409,
        'IP forwarding is off on this host, so no forward can reach a VM. Turn it on: sysctl -w net.ipv4.ip_forward=1 (and set it in /etc/sysctl.d to keep it).',
      );
    }
    const clash = this.store
      .list()
      .find(
        (f) =>
          f.id !== exceptId &&
          f.protocol === input.protocol &&
          f.listenPort === input.listenPort &&
          (!f.listenAddress || !input.listenAddress || f.listenAddress === input.listenAddress),
      );
    if (clash)
      return fail(409, `Port ${input.listenPort}/${input.protocol} is already forwarded by "${clash.name}".`, {
        listenPort: [`Already used by the forward "${clash.name}".`],
      });
    const current = exceptId ? this.store.get(exceptId) : null;
    const samePort = current && current.listenPort === input.listenPort && current.protocol === input.protocol;
    if (!samePort && this.facts.portInUse(input.protocol, input.listenPort)) {
      return fail(409, `Port ${input.listenPort}/${input.protocol} is in use by a program on this host.`, {
        listenPort: ['A program on this host listens on this port.'],
      });
    }
    const save = await this.readKernel();
    if (!save.ok) return save;
    const handMade = this.facts.handMade(save.data).find((h) => h.protocol === input.protocol && h.listenPort === input.listenPort);
    if (handMade) {
      return fail(
        409,
        `A hand-made rule already forwards port ${input.listenPort} to ${handMade.targetIP}:${handMade.targetPort}; adopt it instead of adding another.`,
        { listenPort: ['A hand-made rule forwards this port.'] },
      );
    }
    const resolve = () => resolveTarget(input.target, this.context(), exceptId ? (this.store.statuses().get(exceptId) ?? null) : null);
    let r = resolve();
    const until = Date.now() + this.targetSettleMs;
    while (!r.ok && !r.unreachable && input.target.kind === 'service' && Date.now() < until) {
      await this.sources.changed(until - Date.now());
      r = resolve();
    }
    if (!r.ok) return fail(r.unreachable ? 503 : 422, r.reason, { target: [r.reason] });
    return { ok: true, data: r };
  }

  create(raw: unknown, actor: string): Promise<Outcome<ForwardView>> {
    const parsed = CreateForward.safeParse(raw);
    if (!parsed.success) return Promise.resolve(fail(400, CHECK_FIELDS, fieldErrorsOf(parsed.error)));
    const input = parsed.data;
    return this.queue.run(async () => {
      const checked = await this.check(input, null);
      if (!checked.ok) return this.record(actor, 'forward.create', `:${input.listenPort}`, checked);
      const claimed = await this.claimName(input, null);
      if (!claimed.ok) return this.record(actor, 'forward.create', `${mdnsName(input.lanName!)} :${input.listenPort}`, claimed);
      const id = newForwardId();
      const applied = await this.apply({
        write: () => void this.store.insert(input, actor, id),
        audit: { actor, action: 'forward.create', subject: `${input.name} :${input.listenPort}` },
      });
      return applied.ok ? this.get(id) : applied;
    });
  }

  update(raw: unknown, actor: string): Promise<Outcome<ForwardView>> {
    const parsed = UpdateForward.safeParse(raw);
    if (!parsed.success) return Promise.resolve(fail(400, CHECK_FIELDS, fieldErrorsOf(parsed.error)));
    return this.queue.run(async () => {
      const before = this.store.stored(parsed.data.id);
      if (!before) return fail(404, `No forward ${parsed.data.id}.`);
      const { id, ...changes } = parsed.data;
      const { name, protocol, listenPort, listenAddress, target, description, lanName, tls } = before; // what a person asked for, not who or when
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
            ...changes,
            ...(changes.lanName === null ? { tls: null } : {}),
          }).filter(
            ([, v]) => v !== null && v !== undefined, // null: take it away (a name, HTTPS)
          ),
        ),
      );
      const checked = await this.check(merged, id);
      if (!checked.ok) return this.record(actor, 'forward.update', `${before.name} :${before.listenPort}`, checked);
      const claimed = await this.claimName(merged, before);
      if (!claimed.ok) return this.record(actor, 'forward.update', `${before.name} :${before.listenPort}`, claimed);
      const applied = await this.apply({
        write: () => this.store.update(id, merged), // one UPDATE: the forward keeps its status and its sticky node
        audit: { actor, action: 'forward.update', subject: `${merged.name} :${merged.listenPort}` },
      });
      return applied.ok ? this.get(id) : applied;
    });
  }

  remove(rawId: unknown, actor: string): Promise<Outcome<{ id: string }>> {
    const parsed = ForwardId.safeParse(rawId);
    if (!parsed.success) return Promise.resolve(fail(400, parsed.error.issues[0]!.message));
    return this.queue.run(async () => {
      const before = this.store.stored(parsed.data);
      if (!before) return fail(404, `No forward ${parsed.data}.`);
      const applied = await this.apply({
        write: () => void this.store.remove(before.id),
        audit: { actor, action: 'forward.delete', subject: `${before.name} :${before.listenPort}` },
      });
      return applied.ok ? { ok: true, data: { id: before.id } } : applied;
    });
  }

  /** Resolve every forward, write the kernel if it differs, record each one's status. Queued. */
  sync(): Promise<Outcome<{ applied: boolean }>> {
    return this.queue.run(() => this.apply(null));
  }

  /**
   * Takes over a hand-made forward: labgate's equivalent forward is added and exactly the
   * hand-made rules are removed, in one transaction. Only with explicit confirmation.
   */
  adopt(raw: unknown, actor: string): Promise<Outcome<ForwardView>> {
    const parsed = AdoptRule.safeParse(raw);
    if (!parsed.success) return Promise.resolve(fail(400, parsed.error.issues[0]!.message, fieldErrorsOf(parsed.error)));
    return this.queue.run(async () => {
      const save = await this.readKernel();
      if (!save.ok) return save;
      const h = this.facts.handMade(save.data).find((x) => x.key === parsed.data.ruleKey);
      if (!h) return fail(404, 'That hand-made forward is no longer on the host.');
      if (h.restrictions.length && !parsed.data.widen) {
        return fail(
          409,
          `Adopting would widen this forward: ${h.restrictions.join('; ')}. labgate's forward takes all traffic to port ${h.listenPort} from the LAN. Confirm that, or change the rules by hand.`,
        );
      }
      const problem = targetProblem(h.targetIP, this.facts.policy());
      if (problem) return fail(422, `${shown(h.targetIP)} is ${problem}.`);
      if (this.store.list().some((f) => f.protocol === h.protocol && f.listenPort === h.listenPort))
        return fail(409, `labgate already forwards port ${h.listenPort}.`);
      const id = newForwardId();
      const input = {
        name: `Adopted :${h.listenPort}`,
        protocol: h.protocol,
        listenPort: h.listenPort,
        target: { kind: 'static' as const, ip: h.targetIP, port: h.targetPort },
        description: 'adopted from hand-made rules',
      };
      const applied = await this.apply({
        write: () => void this.store.insert(input, actor, id),
        audit: { actor, action: 'forward.adopt', subject: `:${h.listenPort} → ${h.targetIP}:${h.targetPort}` },
        adopt: h.rules,
        reinstate: h.rules.map((r) => ({ ...r, position: positionOf(save.data, r) })),
      });
      return applied.ok ? this.get(id) : applied;
    });
  }

  /**
   * One pass over the desired state, with or without a change to it, ordered so that store,
   * kernel and audit log agree whatever fails. A change is checked for room on the disk, then
   * tried in a transaction that is rolled back (what it would leave is what the kernel gets);
   * the kernel, the names and Caddy take the result; only then are the change, every status and
   * the change's audit entry committed, in one transaction. A kernel that refuses leaves the store
   * as it was; a store that cannot commit has the kernel put back as the store still says.
   */
  private async apply(change: Change | null): Promise<Outcome<{ applied: boolean }>> {
    await this.sources.ready();
    const timer = metrics().reconcileDuration.startTimer();
    const result = await this.pass(change);
    timer({ result: result.ok ? 'ok' : 'error' });
    return result;
  }

  private async pass(change: Change | null): Promise<Outcome<{ applied: boolean }>> {
    let wanted: { forwards: Forward[]; tls: TlsForward[] };
    try {
      const full = change ? this.storeRoom() : null;
      if (full) throw new StoreRefusal(full);
      wanted = change ? this.tried(change.write) : { forwards: this.store.list(), tls: this.store.withTls() };
    } catch (e) {
      return this.failed(change, this.storeError(e));
    }
    const { forwards, tls } = wanted;
    const statuses = this.store.statuses();
    const next = this.plan(forwards, statuses);
    let applied: boolean;
    try {
      applied = (await this.firewall.sync(storedRules(forwards, next), this.facts.network(), change?.adopt ?? [])).applied;
    } catch (e) {
      return this.failed(change, fail(502, describeFirewallError(e))); // one restore: the kernel is as it was
    }
    await this.forgetMovedFlows(forwards, statuses, next);
    const published = await this.publish(forwards, tls, next);
    if (published && change) {
      await this.revert(change);
      return this.failed(change, fail(502, published));
    }
    let changed = applied || change !== null;
    try {
      this.db.transaction(() => {
        change?.write();
        for (const [id, s] of next) {
          if (sameStatus(statuses.get(id), s)) continue;
          this.store.setStatus(id, s);
          changed = true;
        }
        if (change) this.auditLog.record({ ...change.audit, detail: '', result: 'ok' });
      })();
      if (changed) noteStoreWritten();
    } catch (e) {
      await this.revert(change);
      return this.failed(change, this.storeError(e));
    }
    if (changed) hostChanged();
    this.lastSync = { at: new Date().toISOString(), applied, error: published };
    return published ? fail(502, published) : { ok: true, data: { applied } };
  }

  /** What the store would hold after a change: made in a transaction that is then rolled back. */
  private tried(write: () => void): { forwards: Forward[]; tls: TlsForward[] } {
    let seen: { forwards: Forward[]; tls: TlsForward[] } | null = null;
    try {
      this.db.transaction(() => {
        write();
        seen = { forwards: this.store.list(), tls: this.store.withTls() };
        throw ROLLBACK;
      })();
    } catch (e) {
      if (e !== ROLLBACK) throw e;
    }
    return seen!;
  }

  /** Each forward's status as this pass resolves it: where it points now, or why it cannot. */
  private plan(forwards: readonly Forward[], statuses: Map<string, ForwardStatus>): Map<string, NextStatus> {
    const ctx = this.context();
    const next = new Map<string, NextStatus>();
    for (const f of forwards) {
      const current = statuses.get(f.id) ?? null;
      const rendered = (targetIP: string, targetPort: number): ResolvedForward => ({
        id: f.id,
        protocol: f.protocol,
        listenPort: f.listenPort,
        listenAddress: f.listenAddress,
        targetIP,
        targetPort,
      });
      // A target is only ever rendered when it passes the policy and the renderer's checks, now.
      const safe = (targetIP: string | null | undefined, targetPort: number | null | undefined) =>
        !!targetIP && !!targetPort && !targetProblem(targetIP, ctx.policy) && !forwardRuleProblem(rendered(targetIP, targetPort));
      const r = resolveTarget(f.target, ctx, current);
      if (r.ok && safe(r.targetIP, r.targetPort)) {
        next.set(f.id, { state: 'applied', targetIP: r.targetIP, targetPort: r.targetPort, node: r.node, reason: null });
        continue;
      }
      const reason = r.ok
        ? `Forward ${f.name} cannot be written: ${forwardRuleProblem(rendered(r.targetIP, r.targetPort)) ?? 'its target is not allowed'}.`
        : r.reason;
      if (safe(current?.targetIP, current?.targetPort)) {
        // Never drop a forward because something is unreachable or misreported: keep the last safe target.
        next.set(f.id, {
          state: !r.ok && (r.unreachable || r.stale) ? 'stale' : 'error',
          targetIP: current!.targetIP,
          targetPort: current!.targetPort,
          node: current!.node,
          reason,
        });
      } else {
        next.set(f.id, { state: 'error', targetIP: null, targetPort: null, node: null, reason });
      }
    }
    return next;
  }

  /** The names and Caddy's sites for these forwards; why not, or null. */
  private async publish(
    forwards: readonly Forward[],
    tls: readonly TlsForward[],
    statuses: Map<string, NextStatus>,
  ): Promise<string | null> {
    try {
      this.names.sync(this.wantedNames(forwards));
      return await this.tlsProxy.sync(forwards.some((f) => f.https) ? this.sites(tls, statuses) : []);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** After a change that could not be finished: kernel, names and Caddy back as the store says. */
  private async revert(change: Change | null): Promise<void> {
    const forwards = this.store.list();
    const statuses = this.store.statuses();
    try {
      await this.firewall.sync(storedRules(forwards, statuses), this.facts.network(), [], change?.reinstate ?? []);
      const published = await this.publish(forwards, this.store.withTls(), statuses);
      if (published) throw new Error(published);
    } catch (e) {
      // The reconciler's next pass tries again: the kernel is read and repaired from the store.
      console.error(`labgate: could not put the host back as the store says: ${describeFirewallError(e)}`);
    }
  }

  /** A store error as an answer naming its cause; anything else is rethrown, never hidden. */
  private storeError(e: unknown): Outcome<never> {
    const problem = e instanceof StoreRefusal ? e.problem : storeFailure(e, this.dataDir);
    if (!problem) throw e;
    noteStoreFailure(problem);
    return fail(problem.status, problem.message);
  }

  /** A pass that did not finish: its sync outcome kept for status, the change's failure audited where the log can be written. */
  private failed(change: Change | null, outcome: Outcome<never>): Outcome<never> {
    if (outcome.ok) return outcome;
    this.lastSync = { at: new Date().toISOString(), applied: false, error: outcome.error };
    return change ? this.record(change.audit.actor, change.audit.action, change.audit.subject, outcome) : outcome;
  }

  /** The names to publish: the dashboard's and every named forward's, each at the address it takes traffic on. */
  private wantedNames(forwards: readonly Forward[]): Map<string, string> {
    const wanted = new Map<string, string>();
    const lan = this.facts.lanAddress();
    if (this.dashboardName && lan) wanted.set(this.dashboardName, lan);
    for (const f of forwards) {
      const address = this.address(f);
      if (f.lanName && address && !wanted.has(f.lanName)) wanted.set(f.lanName, address);
    }
    return wanted;
  }

  /** Caddy's sites: each HTTPS forward's name, proxied to where the forward points now. */
  private sites(tls: readonly TlsForward[], statuses: Map<string, NextStatus>): Site[] {
    return tls.map((f) => {
      const s = statuses.get(f.id);
      return {
        name: mdnsName(f.lanName!),
        upstream: s?.targetIP && s.targetPort ? `${s.targetIP}:${s.targetPort}` : null,
        certificate: f.tls.certificate,
        key: f.tls.key,
      };
    });
  }

  /** A UDP forward whose target moved: its running flows follow to the new target (see Firewall.forgetFlows). */
  private async forgetMovedFlows(
    forwards: readonly Forward[],
    before: Map<string, ForwardStatus>,
    now: Map<string, NextStatus>,
  ): Promise<void> {
    for (const f of forwards) {
      const old = before.get(f.id);
      const s = now.get(f.id);
      if (f.protocol !== 'udp' || !old?.targetIP || !old.targetPort || s?.state !== 'applied') continue;
      if (old.targetIP === s.targetIP && old.targetPort === s.targetPort) continue;
      const error = await this.firewall.forgetFlows({
        protocol: 'udp',
        listenPort: f.listenPort,
        targetIP: old.targetIP,
        targetPort: old.targetPort,
      });
      if (error) console.error(`labgate: ${error}`);
    }
  }

  /** The kernel's rules, or why they cannot be read (no CAP_NET_ADMIN, no iptables). */
  private async readKernel(): Promise<Outcome<ParsedSave>> {
    try {
      return { ok: true, data: await this.firewall.read() };
    } catch (e) {
      return fail(502, describeFirewallError(e));
    }
  }

  /**
   * A full read of the kernel: the firewall's health and drift, kept as the last known status.
   * A kernel that cannot be read is a 502 with the reason, never a throw.
   */
  async status(): Promise<Outcome<HostStatus>> {
    const restores = this.firewall.restores;
    const { status, own } = await this.readStatus();
    const wasInSync = this.lastRead?.status.ok ? this.lastRead.status.data.inSync : null;
    this.lastRead = { at: Date.now(), restores, status, own };
    if (status.ok && status.data.inSync !== wasInSync) hostChanged(); // open pages show the drift, or that it is gone
    return status;
  }

  /** The last full read, with the latest sync's outcome, without reading the kernel again (what pages ask for). */
  async lastStatus(): Promise<Outcome<HostStatus>> {
    const last = this.lastRead?.status ?? (await this.status());
    if (!last.ok) return last;
    return {
      ok: true,
      data: { ...last.data, lastSync: this.lastSync, restores: this.firewall.restores, ipForward: this.facts.ipForward() },
    };
  }

  /**
   * Whether the last full read can no longer stand for the kernel: there is none, it failed or
   * found drift, labgate has written since, the last sync failed, or it is older than maxAgeMs.
   */
  lastReadStale(maxAgeMs: number): boolean {
    const last = this.lastRead;
    if (!last?.status.ok || !last.status.data.inSync || this.lastSync?.error) return true;
    return last.restores !== this.firewall.restores || Date.now() - last.at >= maxAgeMs;
  }

  /**
   * The cheap check: labgate's rules in the kernel are still the ones the last full read found
   * (a flush, a reboot, another writer or an old dump restored each change them).
   */
  async kernelUnchanged(): Promise<boolean> {
    const own = await this.firewall.ownRules();
    return own !== null && own === this.lastRead?.own;
  }

  private async readStatus(): Promise<{ status: Outcome<HostStatus>; own: string | null }> {
    const resolved = storedRules(this.store.list(), this.store.statuses());
    const read = await this.readKernel();
    if (!read.ok) return { status: read, own: null };
    const save = read.data;
    const diff = diffFirewall(renderRules(resolved, this.facts.network(), this.firewall.owner), save);
    const status: Outcome<HostStatus> = {
      ok: true,
      data: {
        backend: this.firewall.runner.backend,
        inSync: diff.inSync,
        diff,
        handMade: this.facts.handMade(save),
        restores: this.firewall.restores,
        ipForward: this.facts.ipForward(),
        lastSync: this.lastSync,
        checkedAt: new Date().toISOString(),
      },
    };
    return { status, own: ownRulesOf(save) };
  }

  /** labgate's chains as the kernel has them, in iptables-save form. */
  async exportRules(): Promise<Outcome<string>> {
    const read = await this.readKernel();
    if (!read.ok) return read;
    const save = read.data;
    const lines: string[] = [];
    for (const table of ['nat', 'filter'] as const) {
      const mine = rulesOf(save, table).filter((r) => r.chain.startsWith('LABGATE-') || r.text.includes('-j LABGATE-'));
      if (mine.length) lines.push(`*${table}`, ...mine.map((r) => r.text), 'COMMIT');
    }
    return { ok: true, data: `${lines.join('\n')}\n` };
  }

  /** A repair the reconciler made, in the activity log with what it found. */
  recordRepair(diff: FirewallDiff): void {
    this.record('reconciler', 'firewall.repair', "labgate's chains", { ok: true, data: null }, describeDrift(diff, this.firewall.owner));
  }

  /** Audits an outcome; a log that cannot be written is reported, and the outcome stands. */
  private record<T>(actor: string, action: string, subject: string, result: Outcome<T>, detail = ''): Outcome<T> {
    try {
      this.auditLog.record({ actor, action, subject, detail, result: result.ok ? 'ok' : result.error });
    } catch (e) {
      console.error(`labgate: could not audit ${action} ${subject}: ${storeFailure(e, this.dataDir)?.message ?? String(e)}`);
    }
    return result;
  }

  /** The one audit log: the host's changes, and the ui's Kubernetes changes and logins. */
  audit(page: { limit?: number; before?: number } = {}): AuditEntry[] {
    return this.auditLog.list(page);
  }

  recordAudit(entry: Omit<AuditEntry, 'id' | 'at'>): void {
    this.auditLog.record(entry);
  }

  journal(operation?: string): JournalEntry[] {
    return this.journalStore.list(operation);
  }

  putJournal(entry: Omit<JournalEntry, 'createdAt' | 'updatedAt'>): void {
    this.journalStore.put(entry);
  }
}

/** A forward's status as a pass decides it, before it is stored. */
type NextStatus = Omit<ForwardStatus, 'updatedAt'>;
type TlsForward = Forward & { tls: SiteTls };

/** A change to the desired forwards, and its audit entry, committed together. */
interface Change {
  write: () => void; // runs twice (a rolled-back try, then the commit): it must do the same both times
  audit: { actor: string; action: string; subject: string };
  adopt?: HandMadeForward['rules']; // hand-made rules the change takes off the host
  reinstate?: ReinstatedRule[]; // and where they go back if it cannot be stored
}

/** Thrown inside a transaction to roll it back on purpose. */
const ROLLBACK = Symbol('rollback');

/** A change refused before anything was touched: the store has no room for it. */
class StoreRefusal extends Error {
  readonly problem: StoreProblem;
  constructor(problem: StoreProblem) {
    super(problem.message);
    this.problem = problem;
  }
}

const sameStatus = (a: ForwardStatus | undefined, b: NextStatus) =>
  !!a && a.state === b.state && a.targetIP === b.targetIP && a.targetPort === b.targetPort && a.node === b.node && a.reason === b.reason;

/** The rules the kernel holds for these forwards: each at the target its status names, where it has one that can be written. */
function storedRules(forwards: readonly Forward[], statuses: Map<string, NextStatus>): ResolvedForward[] {
  return forwards.flatMap((f) => {
    const s = statuses.get(f.id);
    if (!s?.targetIP || !s.targetPort) return [];
    const r = {
      id: f.id,
      protocol: f.protocol,
      listenPort: f.listenPort,
      listenAddress: f.listenAddress,
      targetIP: s.targetIP,
      targetPort: s.targetPort,
    };
    return forwardRuleProblem(r) ? [] : [r];
  });
}

/** A hand-made rule's position in its chain (1 is the first), so an adoption can put it back where it stood. */
function positionOf(save: ParsedSave, rule: { table: 'nat' | 'filter'; line: string }): number {
  const chain = /^-A (\S+)/.exec(rule.line)?.[1] ?? '';
  return rulesOf(save, rule.table, chain).findIndex((r) => r.text === rule.line) + 1 || 1;
}

function describeFirewallError(e: unknown): string {
  return e instanceof FirewallError ? `${e.message}${e.detail ? `: ${e.detail}` : ''}` : e instanceof Error ? e.message : String(e);
}

const holder = globalThis as typeof globalThis & { labgateHost?: Promise<HostService> };

/** The host role's parts in this process: its store, cache, watcher and kernel (the iptables backend detected). */
export async function liveHostDeps(): Promise<HostDeps> {
  const backend = await detectBackend();
  return {
    db: db(),
    firewall: new Firewall(execRunner(backend), installId(db())),
    sources: liveSources,
    facts: liveFacts,
    settings: env(),
    names: new AvahiNames(),
    tlsProxy: new CaddyAdmin(env().caddyAdmin),
  };
}

/** The host role's one service. */
export function hostService(): Promise<HostService> {
  holder.labgateHost ??= liveHostDeps().then(
    (deps) => new HostService(deps),
    (e: unknown) => {
      holder.labgateHost = undefined; // a store that could not be opened is tried again at the next call
      throw e;
    },
  );
  return holder.labgateHost;
}

const liveSources: TargetSources = {
  ready: async () => void (await Promise.all([kubeCache().ready(), multipassWatcher().ready()])),
  context: () => {
    const kube = kubeCache();
    const mp = multipassWatcher().snapshot();
    const snap = kube.snapshot();
    return {
      instances: mp.error ? null : mp.instances,
      cluster: kube.getStatus().reachable ? { nodes: snap.nodes, pods: snap.pods, services: snap.services } : null,
    };
  },
  changed: (timeoutMs) =>
    new Promise((resolve) => {
      const done = () => {
        stop();
        clearTimeout(timer);
        resolve();
      };
      const stop = kubeCache().onChange(done);
      const timer = setTimeout(done, timeoutMs);
    }),
};

const liveFacts: HostFacts = {
  network: hostNetwork,
  lanAddress: () => env().lanAddress ?? hostNetworkOrNull()?.lanAddress ?? null,
  // Where targets may be: the bridges' subnets and LABGATE_ALLOWED_NETWORKS — never where a node merely says it is.
  policy: () => ({ networks: [...multipassBridges().map((b) => b.cidr), ...env().allowedNetworks], hostAddresses: hostAddresses() }),
  ipForward: ipForwardEnabled,
  portInUse: portInUseOnHost,
  handMade: handMadeOn,
};
