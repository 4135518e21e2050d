import 'server-only';
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import type { Outcome } from '@/lib/result';
import { describeApiError, loadKubeConfig } from './client';

// Changes to the cluster, each a JSON merge patch; ones with a resourceVersion fail on a concurrent change.

const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

function apis() {
  const kc = loadKubeConfig();
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
}

function failure(err: unknown, verb: string, resource: string, what: string): Outcome<never> {
  const e = err as { code?: number; body?: unknown };
  const body = typeof e?.body === 'string' ? e.body : JSON.stringify(e?.body ?? '');
  if (e?.code === 409) return { ok: false, status: 409, error: `${what} changed meanwhile: reload and try again.` };
  if (e?.code === 404) return { ok: false, status: 404, error: `${what} does not exist (any more).` };
  if (e?.code === 422) {
    const message = /"message":"((?:[^"\\]|\\.)*)"/.exec(body)?.[1]?.replace(/\\"/g, '"') ?? 'the API server refused the change';
    return { ok: false, status: 422, error: message };
  }
  return { ok: false, status: e?.code === 403 ? 403 : 502, error: describeApiError(err, verb, resource) };
}

export async function patchNodeLabels(
  node: string,
  labels: Record<string, string | null>,
  resourceVersion: string,
): Promise<Outcome<{ resourceVersion: string }>> {
  try {
    const res = await apis().core.patchNode({ name: node, body: { metadata: { labels, resourceVersion } } }, merge);
    return { ok: true, data: { resourceVersion: res.metadata?.resourceVersion ?? '' } };
  } catch (e) {
    return failure(e, 'patch', 'nodes', `Node ${node}`);
  }
}

export interface ServiceChange {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  nodePorts: Record<number, number | null>; // service port → nodePort (null: the cluster picks)
  externalTrafficPolicy?: 'Cluster' | 'Local';
  resourceVersion?: string;
}

/** Sets type, nodePorts and traffic policy; the ports array is sent whole, as merge patch replaces arrays. */
export async function patchService(namespace: string, name: string, change: ServiceChange): Promise<Outcome<{ resourceVersion: string }>> {
  const { core } = apis();
  let svc;
  try {
    svc = await core.readNamespacedService({ namespace, name });
  } catch (e) {
    return failure(e, 'get', 'services', `Service ${namespace}/${name}`);
  }
  try {
    const nodePortType = change.type !== 'ClusterIP';
    const ports = (svc.spec?.ports ?? []).map(({ nodePort, ...rest }) => {
      if (!nodePortType) return rest;
      const wanted = change.nodePorts[rest.port];
      const keep = wanted === undefined ? nodePort : (wanted ?? undefined); // null: let the cluster pick
      return keep ? { ...rest, nodePort: keep } : rest;
    });
    const spec: Record<string, unknown> = { type: change.type, ports };
    spec.externalTrafficPolicy = nodePortType ? (change.externalTrafficPolicy ?? svc.spec?.externalTrafficPolicy ?? 'Cluster') : null;
    const body = { metadata: { resourceVersion: change.resourceVersion ?? svc.metadata?.resourceVersion }, spec };
    const res = await core.patchNamespacedService({ namespace, name, body }, merge);
    return { ok: true, data: { resourceVersion: res.metadata?.resourceVersion ?? '' } };
  } catch (e) {
    return failure(e, 'patch', 'services', `Service ${namespace}/${name}`);
  }
}

export async function setNodeSelector(
  kind: 'Deployment' | 'StatefulSet',
  namespace: string,
  name: string,
  nodeSelector: Record<string, string> | null,
): Promise<Outcome<{ resourceVersion: string }>> {
  const { apps } = apis();
  // A merge patch merges maps: clear the old selector first so the new one replaces it.
  const body = { spec: { template: { spec: { nodeSelector: null } } } };
  const set = { spec: { template: { spec: { nodeSelector } } } };
  try {
    const patch = kind === 'Deployment' ? apps.patchNamespacedDeployment.bind(apps) : apps.patchNamespacedStatefulSet.bind(apps);
    if (nodeSelector) await patch({ namespace, name, body }, merge);
    const res = await patch({ namespace, name, body: set }, merge);
    return { ok: true, data: { resourceVersion: res.metadata?.resourceVersion ?? '' } };
  } catch (e) {
    return failure(e, 'patch', kind === 'Deployment' ? 'deployments.apps' : 'statefulsets.apps', `${kind} ${namespace}/${name}`);
  }
}
