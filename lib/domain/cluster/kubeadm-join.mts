/**
 * Joining a VM to the cluster as kubeadm does: a bootstrap token (a Secret in kube-system the
 * apiserver accepts as a bearer token for an hour) and the cluster CA's public-key hash, which
 * the joining node checks the apiserver against. Pure (the token and the hash, which need
 * crypto, are made in lib/kube/join-token.mts), so it is tested apart from the cluster.
 */

/** Where a template's cloud-init takes the join command, made at each launch (a token is never kept in a template). */
export const JOIN_PLACEHOLDER = '{{ labgate.join }}';
export const JOIN_TOKEN_HOURS = 1;

/** The Secret that is the token (bootstrap.kubernetes.io/token), good for JOIN_TOKEN_HOURS and for joining only. */
export function bootstrapTokenSecret(token: { id: string; secret: string }, node: string, now = new Date()) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'bootstrap.kubernetes.io/token',
    metadata: { name: `bootstrap-token-${token.id}`, namespace: 'kube-system' },
    stringData: {
      description: `labgate: joins ${node} to the cluster`,
      'token-id': token.id,
      'token-secret': token.secret,
      expiration: new Date(now.getTime() + JOIN_TOKEN_HOURS * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'usage-bootstrap-authentication': 'true',
      'usage-bootstrap-signing': 'true',
      'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
    },
  };
}

export interface JoinCommand {
  endpoint: string; // host:port of the apiserver
  token: string; // id.secret
  caHash: string;
}

export const joinCommand = (j: JoinCommand) => `kubeadm join ${j.endpoint} --token ${j.token} --discovery-token-ca-cert-hash ${j.caHash}`;

/** The join command in a VM's user data, as kubeadm on the VM would read it; null when it has none. */
export function parseJoinCommand(userData: string): JoinCommand | null {
  const m = /kubeadm join (\S+:\d{1,5}) --token ([a-z0-9]{6}\.[a-z0-9]{16}) --discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})/.exec(
    userData,
  );
  return m ? { endpoint: m[1]!, token: m[2]!, caHash: m[3]! } : null;
}

/** A template's cloud-init with this launch's join command in the placeholder's place. */
export const withJoin = (cloudInit: string, command: string) => cloudInit.split(JOIN_PLACEHOLDER).join(command);

/** The apiserver's host:port from a kubeconfig's server URL (https://10.120.52.23:6443 → 10.120.52.23:6443). */
export function apiEndpoint(server: string): string | null {
  try {
    const url = new URL(server);
    return url.protocol === 'https:' ? `${url.hostname}:${url.port || '443'}` : null; // an IPv6 host keeps its brackets
  } catch {
    return null;
  }
}
