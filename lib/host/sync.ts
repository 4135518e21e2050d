import 'server-only';
import type { Site } from '@/lib/domain/network/caddy';
import type { Forward, ForwardStatus } from '@/lib/domain/forwards/forward';
import { decideStatus, sameStatus, storedRules, type NextStatus } from '@/lib/domain/forwards/forward-status';
import type { HandMadeForward } from '@/lib/domain/firewall/handmade';
import { mdnsName } from '@/lib/domain/network/lan-names';
import type { ReinstatedRule } from '@/lib/domain/firewall/rules';
import type { ParsedSave } from '@/lib/domain/firewall/save-parse';
import { resolveTarget } from '@/lib/domain/forwards/targets';
import { fail, type Outcome } from '@/lib/result';
import type { SignIn, SiteTls } from '@/lib/schemas/names';
import { metrics } from '@/lib/observe/metrics';
import { noteStoreFailure, noteStoreWritten, storeFailure, type StoreProblem } from '@/lib/store/failure';
import type { HostStatus } from '@/lib/wire';
import { addressOf } from './checks';
import type { HostParts } from './deps';
import { describeFirewallError } from './drift';
import { hostChanged } from './events';

type TlsForward = Forward & { tls: SiteTls; signIn: SignIn | null };

/** A change to the desired forwards, and its audit entry, committed together. */
export interface Change {
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

/** Audits an outcome; a log that cannot be written is reported, and the outcome stands. */
export function recordOutcome<T>(
  parts: HostParts,
  actor: string,
  action: string,
  subject: string,
  result: Outcome<T>,
  detail = '',
): Outcome<T> {
  try {
    parts.auditLog.record({ actor, action, subject, detail, result: result.ok ? 'ok' : result.error });
  } catch (e) {
    console.error(`labgate: could not audit ${action} ${subject}: ${storeFailure(e, parts.dataDir)?.message ?? String(e)}`);
  }
  return result;
}

/**
 * The sync pass: every forward resolved, the kernel, the names and Caddy made to match, each
 * forward's status recorded — with or without a change to the desired state, and ordered so
 * that store, kernel and audit log agree whatever fails. A change is checked for room on the
 * disk, then tried in a transaction that is rolled back (what it would leave is what the kernel
 * gets); the kernel, the names and Caddy take the result; only then are the change, every status
 * and the change's audit entry committed, in one transaction. A kernel that refuses leaves the
 * store as it was; a store that cannot commit has the kernel put back as the store still says.
 */
export class HostSync {
  private readonly parts: HostParts;
  /** The latest pass's outcome. */
  lastSync: HostStatus['lastSync'] = null;

  constructor(parts: HostParts) {
    this.parts = parts;
  }

  /** One pass; `actual`: the kernel as the caller has just read it, so the pass need not read it again. */
  async apply(change: Change | null, actual?: ParsedSave): Promise<Outcome<{ applied: boolean }>> {
    await this.parts.sources.ready();
    const timer = metrics().reconcileDuration.startTimer();
    const result = await this.pass(change, actual);
    timer({ result: result.ok ? 'ok' : 'error' });
    return result;
  }

  private async pass(change: Change | null, actual?: ParsedSave): Promise<Outcome<{ applied: boolean }>> {
    const { store, firewall, facts, db } = this.parts;
    let wanted: { forwards: Forward[]; tls: TlsForward[] };
    try {
      const full = change ? this.parts.storeRoom() : null;
      if (full) throw new StoreRefusal(full);
      wanted = change ? this.tried(change.write) : { forwards: store.list(), tls: store.withTls() };
    } catch (e) {
      return this.failed(change, this.storeError(e));
    }
    const { forwards, tls } = wanted;
    const statuses = store.statuses();
    const next = this.plan(forwards, statuses);
    let applied: boolean;
    try {
      applied = (await firewall.sync(storedRules(forwards, next), facts.network(), change?.adopt ?? [], [], actual)).applied;
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
      db.transaction(() => {
        change?.write();
        for (const [id, s] of next) {
          if (sameStatus(statuses.get(id), s)) continue;
          store.setStatus(id, s);
          changed = true;
        }
        if (change) this.parts.auditLog.record({ ...change.audit, detail: '', result: 'ok' });
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
    const { db, store } = this.parts;
    let seen: { forwards: Forward[]; tls: TlsForward[] } | null = null;
    try {
      db.transaction(() => {
        write();
        seen = { forwards: store.list(), tls: store.withTls() };
        throw ROLLBACK;
      })();
    } catch (e) {
      if (e !== ROLLBACK) throw e;
    }
    return seen!;
  }

  /** Each forward's status as this pass resolves it (lib/domain/forwards/forward-status.ts decides). */
  private plan(forwards: readonly Forward[], statuses: Map<string, ForwardStatus>): Map<string, NextStatus> {
    const ctx = this.parts.context();
    return new Map(
      forwards.map((f) => {
        const current = statuses.get(f.id) ?? null;
        return [f.id, decideStatus(f, resolveTarget(f.target, ctx, current), current, ctx.policy)];
      }),
    );
  }

  /** The names and Caddy's sites for these forwards; why not, or null. */
  private async publish(
    forwards: readonly Forward[],
    tls: readonly TlsForward[],
    statuses: Map<string, NextStatus>,
  ): Promise<string | null> {
    try {
      this.parts.names.sync(this.wantedNames(forwards));
      const lan = this.parts.facts.lanAddress();
      const host = ['127.0.0.0/8', ...(lan ? [`${lan}/32`] : [])]; // the host's own checks of the URL
      return await this.parts.tlsProxy.sync(forwards.some((f) => f.https) ? sites(tls, statuses, host) : []);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  /** After a change that could not be finished: kernel, names and Caddy back as the store says. */
  private async revert(change: Change | null): Promise<void> {
    const { store, firewall, facts } = this.parts;
    const forwards = store.list();
    const statuses = store.statuses();
    try {
      await firewall.sync(storedRules(forwards, statuses), facts.network(), [], change?.reinstate ?? []);
      const published = await this.publish(forwards, store.withTls(), statuses);
      if (published) throw new Error(published);
    } catch (e) {
      // The reconciler's next pass tries again: the kernel is read and repaired from the store.
      console.error(`labgate: could not put the host back as the store says: ${describeFirewallError(e)}`);
    }
  }

  /** A store error as an answer naming its cause; anything else is rethrown, never hidden. */
  private storeError(e: unknown): Outcome<never> {
    const problem = e instanceof StoreRefusal ? e.problem : storeFailure(e, this.parts.dataDir);
    if (!problem) throw e;
    noteStoreFailure(problem);
    return fail(problem.status, problem.message);
  }

  /** A pass that did not finish: its sync outcome kept for status, the change's failure audited where the log can be written. */
  private failed(change: Change | null, outcome: Outcome<never>): Outcome<never> {
    if (outcome.ok) return outcome;
    this.lastSync = { at: new Date().toISOString(), applied: false, error: outcome.error };
    return change ? recordOutcome(this.parts, change.audit.actor, change.audit.action, change.audit.subject, outcome) : outcome;
  }

  /** The names to publish: the dashboard's and every named forward's, each at the address it takes traffic on. */
  private wantedNames(forwards: readonly Forward[]): Map<string, string> {
    const wanted = new Map<string, string>();
    const lan = this.parts.facts.lanAddress();
    if (this.parts.dashboardName && lan) wanted.set(this.parts.dashboardName, lan);
    for (const f of forwards) {
      const address = addressOf(this.parts, f);
      if (f.lanName && address && !wanted.has(f.lanName)) wanted.set(f.lanName, address);
    }
    return wanted;
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
      const error = await this.parts.firewall.forgetFlows({
        protocol: 'udp',
        listenPort: f.listenPort,
        targetIP: old.targetIP,
        targetPort: old.targetPort,
      });
      if (error) console.error(`labgate: ${error}`);
    }
  }
}

/**
 * Caddy's sites: each HTTPS forward's name, proxied to where the forward points now, for whom its
 * access rule lets in, after a sign-in with labgate where asked (the host's own checks need none).
 */
function sites(tls: readonly TlsForward[], statuses: Map<string, NextStatus>, host: readonly string[]): Site[] {
  return tls.map((f) => {
    const s = statuses.get(f.id);
    return {
      name: mdnsName(f.lanName!),
      upstream: s?.targetIP && s.targetPort ? `${s.targetIP}:${s.targetPort}` : null,
      certificate: f.tls.certificate,
      key: f.tls.key,
      ...(f.allowFrom ? { allowFrom: [...f.allowFrom, ...host] } : {}),
      ...(f.signIn ? { signIn: { ...f.signIn, exempt: host } } : {}),
    };
  });
}
