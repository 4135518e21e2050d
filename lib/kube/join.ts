import 'server-only';
import fs from 'node:fs';
import { CoreV1Api } from '@kubernetes/client-node';
import { apiEndpoint, bootstrapTokenSecret, joinCommand } from '@/lib/domain/cluster/kubeadm-join.mts';
import { caCertHash, newBootstrapToken } from './join-token.mts';
import type { Outcome } from '@/lib/result';
import { describeApiError, loadKubeConfig } from './client';

/**
 * A join command for a new worker: a one-hour bootstrap token made through the Kubernetes API (the
 * one create labgate may make: a bootstrap-token Secret in kube-system), the apiserver's address
 * and its CA's hash from labgate's kubeconfig.
 */
export async function createJoinCommand(node: string): Promise<Outcome<string>> {
  const kc = loadKubeConfig();
  const cluster = kc.getCurrentCluster();
  const endpoint = apiEndpoint(cluster?.server ?? '');
  if (!endpoint) return { ok: false, status: 422, error: "labgate's kubeconfig names no https apiserver for a worker to join." };
  const ca = cluster?.caData
    ? Buffer.from(cluster.caData, 'base64').toString('utf8')
    : cluster?.caFile
      ? fs.readFileSync(cluster.caFile, 'utf8')
      : null;
  if (!ca)
    return { ok: false, status: 422, error: "labgate's kubeconfig has no CA for the cluster: a worker could not check whom it joins." };
  const token = newBootstrapToken();
  try {
    await kc.makeApiClient(CoreV1Api).createNamespacedSecret({ namespace: 'kube-system', body: bootstrapTokenSecret(token, node) });
  } catch (e) {
    return { ok: false, status: (e as { code?: number }).code === 403 ? 403 : 502, error: describeApiError(e, 'create', 'secrets') };
  }
  return { ok: true, data: joinCommand({ endpoint, token: `${token.id}.${token.secret}`, caHash: caCertHash(ca) }) };
}
