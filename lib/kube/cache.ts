import 'server-only';
import { AppsV1Api, CoreV1Api, makeInformer, type Informer, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { NamespaceRecord, NodeRecord, PodRecord, ServiceRecord, WorkloadRecord } from '@/lib/domain/records';
import { env } from '@/lib/env';
import { metrics } from '@/lib/observe/metrics';
import { describeApiError, KubeConfigError, loadKubeConfig } from './client';
import { toNamespaceRecord, toNodeRecord, toPodRecord, toServiceRecord, toWorkloadRecord } from './to-records';
import { processSingleton } from '@/lib/process-wide';

/** How long a first resolution waits for the cluster's first list before it counts the apiserver as away. */
export const CACHE_READY_MS = 5_000;

export interface KubeSnapshot {
  version: number;
  nodes: NodeRecord[];
  pods: PodRecord[];
  services: ServiceRecord[];
  workloads: WorkloadRecord[];
  namespaces: NamespaceRecord[];
}

export interface KindStatus {
  kind: string;
  synced: boolean;
  error: string | null;
}

export interface KubeCacheStatus {
  configured: boolean;
  configError: string | null;
  reachable: boolean; // every kind synced and none in error
  kinds: KindStatus[];
}

interface KindSpec<R> {
  kind: string;
  resource: string; // for permission messages: "services", "deployments.apps"
  path: string;
  list: (
    core: CoreV1Api,
    apps: AppsV1Api,
    page: { limit: number; _continue?: string },
  ) => Promise<{ items: KubernetesObject[]; metadata?: { _continue?: string; resourceVersion?: string } }>;
  toRecord: (o: KubernetesObject) => R;
}

const key = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

const KINDS = {
  nodes: {
    kind: 'Node',
    resource: 'nodes',
    path: '/api/v1/nodes',
    list: (c, _a, p) => c.listNode(p),
    toRecord: (o) => toNodeRecord(o),
  } as KindSpec<NodeRecord>,
  pods: {
    kind: 'Pod',
    resource: 'pods',
    path: '/api/v1/pods',
    list: (c, _a, p) => c.listPodForAllNamespaces(p),
    toRecord: (o) => toPodRecord(o),
  } as KindSpec<PodRecord>,
  services: {
    kind: 'Service',
    resource: 'services',
    path: '/api/v1/services',
    list: (c, _a, p) => c.listServiceForAllNamespaces(p),
    toRecord: (o) => toServiceRecord(o),
  } as KindSpec<ServiceRecord>,
  deployments: {
    kind: 'Deployment',
    resource: 'deployments.apps',
    path: '/apis/apps/v1/deployments',
    list: (_c, a, p) => a.listDeploymentForAllNamespaces(p),
    toRecord: (o) => toWorkloadRecord('Deployment', o),
  } as KindSpec<WorkloadRecord>,
  statefulsets: {
    kind: 'StatefulSet',
    resource: 'statefulsets.apps',
    path: '/apis/apps/v1/statefulsets',
    list: (_c, a, p) => a.listStatefulSetForAllNamespaces(p),
    toRecord: (o) => toWorkloadRecord('StatefulSet', o),
  } as KindSpec<WorkloadRecord>,
  namespaces: {
    kind: 'Namespace',
    resource: 'namespaces',
    path: '/api/v1/namespaces',
    list: (c, _a, p) => c.listNamespace(p),
    toRecord: (o) => toNamespaceRecord(o),
  } as KindSpec<NamespaceRecord>,
} as const;
export type KindName = keyof typeof KINDS;
/** What the host role resolves targets from; workloads and namespaces are only the dashboard's. */
export const TARGET_KINDS: readonly KindName[] = ['nodes', 'pods', 'services'];

// Kubernetes names are lowercase ASCII: plain comparison orders them as a collator would, far faster.
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sortByKey = <R extends { name: string; namespace?: string }>(rs: Iterable<R>) =>
  [...rs].sort((a, b) => byKey(a.namespace ?? '', b.namespace ?? '') || byKey(a.name, b.name));

/** The record without its resourceVersion, which moves on every heartbeat and status write. */
const meaning = (r: unknown) => JSON.stringify(r, (k, v: unknown) => (k === 'resourceVersion' ? undefined : v));

/**
 * The informer's own cache keeps every object whole (10,000 pods are hundreds of MB). Once the
 * record is made, only what the informer still reads is kept: name, namespace, resourceVersion.
 */
function slim(o: KubernetesObject): void {
  const { name, namespace, resourceVersion } = o.metadata ?? {};
  for (const k of Object.keys(o)) delete (o as Record<string, unknown>)[k];
  o.metadata = { name, namespace, resourceVersion };
}

/**
 * A whole list in pages of 500, each page turned into records as it arrives and its objects
 * slimmed at once: a large cluster's objects are never all held whole together (10,000 typed
 * pods were the server's memory peak). The informer gets the slim objects; `listed` keeps
 * their records by key and resourceVersion until its handlers take them.
 */
async function listInPages<R>(
  list: (page: {
    limit: number;
    _continue?: string;
  }) => Promise<{ items: KubernetesObject[]; metadata?: { _continue?: string; resourceVersion?: string } }>,
  toRecord: (o: KubernetesObject) => R,
  listed: Map<string, { resourceVersion: string | undefined; record: R }>,
) {
  listed.clear();
  const items: KubernetesObject[] = [];
  let page: Awaited<ReturnType<typeof list>> | undefined;
  do {
    page = await list({ limit: 500, _continue: page?.metadata?._continue });
    for (const o of page.items) {
      listed.set(key(o), { resourceVersion: o.metadata?.resourceVersion, record: toRecord(o) });
      slim(o);
      items.push(o);
    }
  } while (page.metadata?._continue);
  // The informer hands the list to its handlers as soon as this resolves, before any timer:
  // what it did not hand over (objects it already had, unchanged) is dropped then.
  setTimeout(() => listed.clear(), 0);
  return { items, metadata: { resourceVersion: page.metadata?.resourceVersion } };
}

/**
 * One list+watch per kind for the whole server process, shared by every page and browser.
 * Records are converted once per event; a watch that fails is started again with backoff
 * (after an apiserver restart it resumes from its resourceVersion, or lists again on 410).
 */
export class KubeCache {
  private readonly stores = new Map<KindName, Map<string, unknown>>();
  private readonly status = new Map<KindName, KindStatus>();
  private readonly informers: Informer<KubernetesObject>[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private version = 0;
  private snapshotCache: KubeSnapshot | null = null;
  private configError: string | null = null;
  private stopped = false;

  /**
   * `config`: the kubeconfig, or how to load it (by default from env(); its failure is this
   * cache's configError). `kinds`: what to list and watch (by default all of them).
   */
  constructor(config: KubeConfig | (() => KubeConfig) = loadKubeConfig, kinds: readonly KindName[] = Object.keys(KINDS) as KindName[]) {
    try {
      const kc = typeof config === 'function' ? config() : config;
      const core = kc.makeApiClient(CoreV1Api);
      const apps = kc.makeApiClient(AppsV1Api);
      for (const name of kinds) this.watch(kc, name, core, apps);
    } catch (e) {
      this.configError = e instanceof KubeConfigError ? e.message : `The kubeconfig could not be used: ${String(e)}`;
    }
  }

  private watch(kc: KubeConfig, name: KindName, core: CoreV1Api, apps: AppsV1Api): void {
    const spec = KINDS[name] as KindSpec<unknown>;
    const store = new Map<string, unknown>();
    this.stores.set(name, store);
    this.status.set(name, { kind: spec.kind, synced: false, error: null });
    const listed = new Map<string, { resourceVersion: string | undefined; record: unknown }>();
    const informer = makeInformer(kc, spec.path, () => listInPages((page) => spec.list(core, apps, page), spec.toRecord, listed));
    const changed = () => {
      this.version++;
      this.snapshotCache = null;
      for (const l of this.listeners) l();
    };
    const put = (o: KubernetesObject) => {
      const k = key(o);
      // From a list: the record made from the whole object; from a watch: made now.
      const fromList = listed.get(k);
      listed.delete(k);
      const record = fromList && fromList.resourceVersion === o.metadata?.resourceVersion ? fromList.record : spec.toRecord(o);
      slim(o);
      const before = store.get(k) as { resourceVersion?: string } | undefined;
      if (before && meaning(before) === meaning(record)) {
        // Only the version moved (a heartbeat): keep the shared record current, tell no one.
        if ('resourceVersion' in before) before.resourceVersion = (record as { resourceVersion?: string }).resourceVersion;
        return;
      }
      store.set(k, record);
      changed();
    };
    informer.on('add', put);
    informer.on('update', put);
    informer.on('delete', (o) => {
      store.delete(key(o));
      changed();
    });
    let delay = 500;
    let failed = false;
    const start = () => {
      if (this.stopped) return;
      failed = false;
      // start() resolves once the list is in and the watch is open, or after an 'error'.
      informer.start().then(
        () => {
          if (failed) return;
          delay = 500;
          this.status.set(name, { kind: spec.kind, synced: true, error: null });
          changed();
        },
        () => {}, // reported through 'error'
      );
    };
    informer.on('error', (err: unknown) => {
      failed = true;
      metrics().sourceErrors.inc({ source: 'apiserver' });
      this.status.set(name, { kind: spec.kind, synced: false, error: describeApiError(err, 'list and watch', spec.resource) });
      changed();
      const t = setTimeout(() => {
        this.retryTimers.delete(t);
        start();
      }, delay);
      this.retryTimers.add(t);
      delay = Math.min(delay * 2, 10_000);
    });
    this.informers.push(informer);
    start();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getStatus(): KubeCacheStatus {
    const kinds = [...this.status.values()];
    return {
      configured: this.configError === null,
      configError: this.configError,
      reachable: this.configError === null && kinds.length > 0 && kinds.every((k) => k.synced && !k.error),
      kinds,
    };
  }

  snapshot(): KubeSnapshot {
    if (this.snapshotCache) return this.snapshotCache;
    const all = <R>(name: KindName) => [...(this.stores.get(name)?.values() ?? [])] as R[];
    this.snapshotCache = {
      version: this.version,
      nodes: sortByKey(all<NodeRecord>('nodes')),
      pods: sortByKey(all<PodRecord>('pods')),
      services: sortByKey(all<ServiceRecord>('services')),
      workloads: sortByKey([...all<WorkloadRecord>('deployments'), ...all<WorkloadRecord>('statefulsets')]),
      namespaces: sortByKey(all<NamespaceRecord>('namespaces')),
    };
    return this.snapshotCache;
  }

  /** Resolves once every kind has listed (or failed), or after the timeout. */
  async ready(timeoutMs = CACHE_READY_MS): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && !this.configError && [...this.status.values()].some((s) => !s.synced && !s.error)) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.retryTimers) clearTimeout(t);
    await Promise.all(this.informers.map((i) => i.stop().catch(() => {})));
  }
}

/** The process's one cache, started on first use; the host role's holds only what targets need. */
export const kubeCache = processSingleton(
  'kubeCache',
  () => new KubeCache(loadKubeConfig, env().role === 'host' ? TARGET_KINDS : undefined),
);
