import { createHash, randomInt, X509Certificate } from 'node:crypto';

// A kubeadm join's secret parts (the pure rest is lib/domain/cluster/kubeadm-join.mts). An .mts file:
// the lab's plain-Node daemons load it too.

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const pick = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A new bootstrap token, [a-z0-9]{6}.[a-z0-9]{16} as the apiserver requires. */
export const newBootstrapToken = () => ({ id: pick(6), secret: pick(16) });

/** kubeadm's --discovery-token-ca-cert-hash: sha256 of the CA certificate's SubjectPublicKeyInfo. */
export function caCertHash(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(spki).digest('hex')}`;
}
