import 'server-only';
import { diffFirewall, noDrift } from '@/lib/domain/diff';
import { storedRules } from '@/lib/domain/forward-status';
import { renderRules } from '@/lib/domain/rules';
import { rulesOf, type ParsedSave } from '@/lib/domain/save-parse';
import { fail, type Outcome } from '@/lib/result';
import type { HostStatus } from '@/lib/wire';
import type { HostParts } from './deps';
import { hostChanged } from './events';
import { FirewallError, ownRulesAfter, ownRulesOf, type Firewall } from './firewall/firewall';

export function describeFirewallError(e: unknown): string {
  return e instanceof FirewallError ? `${e.message}${e.detail ? `: ${e.detail}` : ''}` : e instanceof Error ? e.message : String(e);
}

/** The kernel's rules, or why they cannot be read (no CAP_NET_ADMIN, no iptables). */
export async function readKernel(firewall: Firewall): Promise<Outcome<ParsedSave>> {
  try {
    return { ok: true, data: await firewall.read() };
  } catch (e) {
    return fail(502, describeFirewallError(e));
  }
}

/**
 * What the kernel holds against what the store says: the firewall's health and drift, kept as
 * the last known status, and the cheap check that tells when it must be read again.
 */
export class KernelView {
  private readonly parts: HostParts;
  private readonly lastSync: () => HostStatus['lastSync'];
  /** The last full read, how many restores this process had made by then, and labgate's own lines in it. */
  private lastRead: { at: number; restores: number; status: Outcome<HostStatus>; own: string | null } | null = null;

  constructor(parts: HostParts, lastSync: () => HostStatus['lastSync']) {
    this.parts = parts;
    this.lastSync = lastSync;
  }

  /**
   * A full read of the kernel, kept as the last known status (or this read, when the caller has
   * one). A kernel that cannot be read is a 502 with the reason, never a throw.
   */
  async status(save?: ParsedSave): Promise<Outcome<HostStatus>> {
    const restores = this.parts.firewall.restores;
    const read = save ? { ok: true as const, data: save } : await readKernel(this.parts.firewall);
    const status = read.ok ? this.statusOf(read.data) : read;
    const wasInSync = this.lastRead?.status.ok ? this.lastRead.status.data.inSync : null;
    this.lastRead = { at: Date.now(), restores, status, own: read.ok ? ownRulesOf(read.data) : null };
    if (status.ok && status.data.inSync !== wasInSync) hostChanged(); // open pages show the drift, or that it is gone
    return status;
  }

  /** The last full read, with the latest sync's outcome, without reading the kernel again (what pages ask for). */
  async lastStatus(): Promise<Outcome<HostStatus>> {
    const last = this.lastRead?.status ?? (await this.status());
    if (!last.ok) return last;
    return {
      ok: true,
      data: { ...last.data, lastSync: this.lastSync(), restores: this.parts.firewall.restores, ipForward: this.parts.facts.ipForward() },
    };
  }

  /**
   * After a repair made from the last full read: the kernel holds what the store says now (a
   * restore is atomic), so it stands as the last read without reading the kernel again. Were
   * anything else to differ, the next cheap check sees it and reads the kernel.
   */
  markSynced(): void {
    const last = this.lastRead;
    if (!last?.status.ok) return;
    const { store, firewall, facts } = this.parts;
    const desired = renderRules(storedRules(store.list(), store.statuses()), facts.network(), firewall.owner);
    const diff = noDrift();
    this.lastRead = {
      at: Date.now(),
      restores: firewall.restores,
      status: {
        ok: true,
        data: {
          ...last.status.data,
          inSync: true,
          diff,
          restores: firewall.restores,
          lastSync: this.lastSync(),
          checkedAt: new Date().toISOString(),
        },
      },
      own: ownRulesAfter(desired),
    };
    if (!last.status.data.inSync) hostChanged(); // open pages show that the drift is gone
  }

  /**
   * Whether the last full read can no longer stand for the kernel: there is none, it failed or
   * found drift, labgate has written since, the last sync failed, or it is older than maxAgeMs.
   */
  lastReadStale(maxAgeMs: number): boolean {
    const last = this.lastRead;
    if (!last?.status.ok || !last.status.data.inSync || this.lastSync()?.error) return true;
    return last.restores !== this.parts.firewall.restores || Date.now() - last.at >= maxAgeMs;
  }

  /**
   * The cheap check: labgate's rules in the kernel are still the ones the last full read found
   * (a flush, a reboot, another writer or an old dump restored each change them).
   */
  async kernelUnchanged(): Promise<boolean> {
    const own = await this.parts.firewall.ownRules();
    return own !== null && own === this.lastRead?.own;
  }

  private statusOf(save: ParsedSave): Outcome<HostStatus> {
    const { store, firewall, facts } = this.parts;
    const diff = diffFirewall(renderRules(storedRules(store.list(), store.statuses()), facts.network(), firewall.owner), save);
    return {
      ok: true,
      data: {
        backend: firewall.runner.backend,
        inSync: diff.inSync,
        diff,
        handMade: facts.handMade(save),
        restores: firewall.restores,
        ipForward: facts.ipForward(),
        lastSync: this.lastSync(),
        checkedAt: new Date().toISOString(),
      },
    };
  }

  /** labgate's chains as the kernel has them, in iptables-save form. */
  async exportRules(): Promise<Outcome<string>> {
    const read = await readKernel(this.parts.firewall);
    if (!read.ok) return read;
    const lines: string[] = [];
    for (const table of ['nat', 'filter'] as const) {
      const mine = rulesOf(read.data, table).filter((r) => r.chain.startsWith('LABGATE-') || r.text.includes('-j LABGATE-'));
      if (mine.length) lines.push(`*${table}`, ...mine.map((r) => r.text), 'COMMIT');
    }
    return { ok: true, data: `${lines.join('\n')}\n` };
  }
}
