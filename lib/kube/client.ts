import 'server-only';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { env, type Env } from '@/lib/env';

/** Why labgate cannot talk to the cluster, in words for the Overview. */
export class KubeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeConfigError';
  }
}

/**
 * The kubeconfig: KUBECONFIG (one file or a list, merged as kubectl does), else the default path,
 * else the in-cluster service account; LABGATE_KUBE_CONTEXT picks a context. Both come through
 * env(). Its contents never leave this module's callers.
 */
export function loadKubeConfig(settings: Pick<Env, 'kubeconfig' | 'kubeContext'> = env()): KubeConfig {
  const kc = new KubeConfig();
  const files = settings.kubeconfig?.split(path.delimiter).filter(Boolean) ?? [];
  try {
    if (!files.length) kc.loadFromDefault();
    for (const [i, file] of files.entries()) {
      const next = i === 0 ? kc : new KubeConfig();
      next.loadFromFile(file);
      if (next !== kc) kc.mergeConfig(next);
    }
  } catch (e) {
    const which = settings.kubeconfig ? ` (${settings.kubeconfig})` : '';
    throw new KubeConfigError(`The kubeconfig could not be read${which}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const context = settings.kubeContext;
  if (context) {
    if (!kc.getContextObject(context)) throw new KubeConfigError(`The kubeconfig has no context "${context}" (LABGATE_KUBE_CONTEXT).`);
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server) throw new KubeConfigError('The kubeconfig names no cluster: set KUBECONFIG to a kubeconfig for your cluster.');
  return kc;
}

/** What an API failure means to a person: unreachable, unauthorised, or which permission is missing. */
export function describeApiError(err: unknown, verb: string, resource: string): string {
  const e = err as { code?: number; statusCode?: number; message?: string; body?: unknown; cause?: { code?: string } } | undefined;
  const status = e?.code ?? e?.statusCode;
  if (status === 403) return `labgate's Kubernetes identity needs ${verb} on ${resource}.`;
  if (status === 401) return "The Kubernetes API server refused labgate's credentials (401): the token or certificate is not valid.";
  const text = `${e?.message ?? ''} ${e?.cause?.code ?? ''}`;
  if (/ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|fetch failed|socket hang up|other side closed/i.test(text)) {
    return 'The Kubernetes API server cannot be reached.';
  }
  return `The Kubernetes API answered with an error${status ? ` (${status})` : ''}: ${(e?.message ?? String(err)).slice(0, 200)}`;
}
