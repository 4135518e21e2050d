import 'server-only';
import { ACTOR_HEADER } from '@/lib/host/auth';
import { hostFetch } from './transport';
import type { AuditEntry } from '@/lib/host/tables/audit';
import type { JournalEntry } from '@/lib/host/tables/journal';
import type { ForwardView, HostStatus } from '@/lib/host/service';
import { auditCsv } from '@/lib/domain/csv';
import { env } from '@/lib/env';
import { noteStoreFailure, storeFailure } from '@/lib/store/failure';
import type { MultipassSnapshot } from '@/lib/multipass/watcher';
import type { InstanceChanged, LaunchProgress } from '@/lib/host/instances';
import type { ImageChoice } from '@/lib/multipass/rpc.mts';
import type { Outcome } from '@/lib/result';
import { AUDIT_PAGE_SIZE } from '@/lib/schemas/state';
import type { z } from 'zod';
import type { AdoptRule, CreateForward, UpdateForward } from '@/lib/schemas/forwards';
import type { InstanceChange, LaunchInstance } from '@/lib/schemas/instances';

/** What a call takes: its schema's input (the host parses it again, as it parses every request). */
type In<S extends z.ZodType> = z.input<S>;

/** Everything the UI asks of the host, in-process (role all) or over HTTP with the token (role ui). */
export interface HostClient {
  listForwards(): Promise<Outcome<ForwardView[]>>;
  createForward(input: In<typeof CreateForward>): Promise<Outcome<ForwardView>>;
  updateForward(input: In<typeof UpdateForward>): Promise<Outcome<ForwardView>>;
  deleteForward(id: string): Promise<Outcome<{ id: string }>>;
  adopt(input: In<typeof AdoptRule>): Promise<Outcome<ForwardView>>;
  sync(): Promise<Outcome<{ applied: boolean }>>;
  /** The firewall's last known status (the reconciler's last full read); `fresh`: read the kernel now. */
  status(opts?: { fresh?: boolean }): Promise<Outcome<HostStatus>>;
  exportRules(): Promise<Outcome<string>>;
  /** A page of the audit log, newest first; `before`: the id of the oldest entry already shown. */
  audit(page?: { before?: number; limit?: number }): Promise<Outcome<AuditEntry[]>>;
  /** All of the audit log, as the CSV download has it. */
  auditCsv(): Promise<Outcome<string>>;
  /** The UI records its Kubernetes changes in the host's one audit log, as this client's actor. */
  record(entry: Omit<AuditEntry, 'id' | 'at' | 'actor'>): Promise<Outcome<null>>;
  journalPut(entry: Omit<JournalEntry, 'createdAt' | 'updatedAt'>): Promise<Outcome<null>>;
  journalList(operation: string): Promise<Outcome<JournalEntry[]>>;
  /** Multipass's instances: only the host role talks to the daemon. */
  instances(): Promise<Outcome<MultipassSnapshot>>;
  /** Start, stop, suspend, restart or delete an instance through the daemon (InstanceChange). */
  changeInstance(input: In<typeof InstanceChange>): Promise<Outcome<InstanceChanged>>;
  /** A launch (LaunchInstance); answers once the daemon has taken it. */
  launch(input: In<typeof LaunchInstance>): Promise<Outcome<LaunchProgress>>;
  launches(): Promise<Outcome<LaunchProgress[]>>;
  images(): Promise<Outcome<ImageChoice[]>>;
}

const ok = <T>(data: T): Outcome<T> => ({ ok: true, data });

/**
 * In-process, a store that fails throws: each call answers as the host API would, with the
 * store's problem in words (anything else still throws, to the route's or action's own handling).
 */
function answering(client: HostClient): HostClient {
  const wrapped = Object.entries(client).map(([name, call]: [string, (...args: unknown[]) => Promise<Outcome<unknown>>]) => [
    name,
    async (...args: unknown[]) => {
      try {
        return await call(...args);
      } catch (e) {
        const problem = storeFailure(e, env().dataDir);
        if (!problem) throw e;
        noteStoreFailure(problem);
        return { ok: false, status: problem.status, error: problem.message };
      }
    },
  ]);
  return Object.fromEntries(wrapped) as HostClient;
}

function inProcessClient(actor: string): HostClient {
  const host = async () => (await import('@/lib/host/wiring')).hostService();
  const instances = async () => (await import('@/lib/host/instances')).instanceControl();
  return answering({
    listForwards: async () => ok((await host()).list()),
    createForward: async (input) => (await host()).create(input, actor),
    updateForward: async (input) => (await host()).update(input, actor),
    deleteForward: async (id) => (await host()).remove(id, actor),
    adopt: async (input) => (await host()).adopt(input, actor),
    sync: async () => (await host()).sync(),
    status: async (opts) => (opts?.fresh ? (await host()).status() : (await host()).lastStatus()),
    exportRules: async () => (await host()).exportRules(),
    audit: async (page = {}) => ok((await host()).auditLog.list({ limit: AUDIT_PAGE_SIZE, ...page })),
    auditCsv: async () => ok(auditCsv((await host()).auditLog.list({ limit: env().auditRetention.maxEntries }))),
    record: async (entry) => ok(((await host()).auditLog.record({ ...entry, actor }), null)),
    journalPut: async (entry) => ok(((await host()).journal.put(entry), null)),
    journalList: async (operation) => ok((await host()).journal.list(operation)),
    instances: async () => {
      const { multipassWatcher } = await import('@/lib/multipass/watcher');
      await multipassWatcher().ready();
      return ok(multipassWatcher().snapshot());
    },
    changeInstance: async (input) => (await instances()).change(input, actor),
    launch: async (input) => (await instances()).launch(input, actor),
    launches: async () => ok((await instances()).launches()),
    images: async () => (await instances()).images(),
  });
}

function httpClient(base: string, token: string, actor: string): HostClient {
  const call = async <T>(path: string, init: RequestInit = {}, text = false): Promise<Outcome<T>> => {
    try {
      const res = await hostFetch(path, {
        ...init,
        headers: { authorization: `Bearer ${token}`, [ACTOR_HEADER]: actor, 'content-type': 'application/json', ...init.headers },
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: string; fieldErrors?: Record<string, string[]> };
        return { ok: false, status: res.status, error: body.error ?? `The host answered ${res.status}.`, fieldErrors: body.fieldErrors };
      }
      return ok((text ? await res.text() : await res.json()) as T);
    } catch (e) {
      return { ok: false, status: 502, error: `The host role cannot be reached at ${base}: ${e instanceof Error ? e.message : String(e)}` };
    }
  };
  return {
    listForwards: () => call('/api/host/forwards'),
    createForward: (input) => call('/api/host/forwards', { method: 'POST', body: JSON.stringify(input) }),
    updateForward: (input) =>
      call(`/api/host/forwards/${encodeURIComponent(input.id)}`, {
        method: 'PATCH',
        body: JSON.stringify(input),
      }),
    deleteForward: (id) => call(`/api/host/forwards/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    adopt: (input) => call('/api/host/adopt', { method: 'POST', body: JSON.stringify(input) }),
    sync: () => call('/api/host/sync', { method: 'POST' }),
    status: (opts) => call(`/api/host/status${opts?.fresh ? '?fresh=1' : ''}`),
    exportRules: () => call('/api/host/export', {}, true),
    audit: (page = {}) => call(`/api/host/audit?limit=${page.limit ?? AUDIT_PAGE_SIZE}${page.before ? `&before=${page.before}` : ''}`),
    auditCsv: () => call('/api/host/audit?format=csv', {}, true),
    record: (entry) => call('/api/host/audit', { method: 'POST', body: JSON.stringify(entry) }),
    journalPut: (entry) => call('/api/host/journal', { method: 'POST', body: JSON.stringify(entry) }),
    journalList: (operation) => call(`/api/host/journal?operation=${encodeURIComponent(operation)}`),
    instances: () => call('/api/host/instances'),
    changeInstance: (input) =>
      call(`/api/host/instances/${encodeURIComponent(input.instance)}`, {
        method: 'POST',
        body: JSON.stringify(input),
      }),
    launch: (input) => call('/api/host/launches', { method: 'POST', body: JSON.stringify(input) }),
    launches: () => call('/api/host/launches'),
    images: () => call('/api/host/images'),
  };
}

export function hostClient(actor = 'admin'): HostClient {
  const e = env();
  if (e.role === 'ui') {
    if (!e.hostToken) throw new Error('LABGATE_ROLE=ui needs LABGATE_HOST_TOKEN to reach the host role.');
    return httpClient(e.hostUrl, e.hostToken, actor);
  }
  return inProcessClient(actor);
}
