import { describe, expect, it } from 'vitest';
import { selfSignedIdentity } from '@/lib/tls/certificates.mts';
import { caCertHash, newBootstrapToken } from '@/lib/kube/join-token.mts';
import { apiEndpoint, bootstrapTokenSecret, JOIN_PLACEHOLDER, joinCommand, parseJoinCommand, withJoin } from './kubeadm-join.mts';
import { BUILT_IN_TEMPLATES } from './templates';

describe('joining a worker', () => {
  it('makes tokens the apiserver takes: [a-z0-9]{6}.[a-z0-9]{16}, each new', () => {
    const a = newBootstrapToken();
    expect(`${a.id}.${a.secret}`).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(newBootstrapToken()).not.toEqual(a);
  });

  it('writes the token as a bootstrap-token Secret good for an hour, for joining only', () => {
    const s = bootstrapTokenSecret({ id: 'abcdef', secret: '0123456789abcdef' }, 'worker1', new Date('2026-12-02T10:00:00.123Z'));
    expect(s).toMatchObject({
      type: 'bootstrap.kubernetes.io/token',
      metadata: { name: 'bootstrap-token-abcdef', namespace: 'kube-system' },
      stringData: { expiration: '2026-12-02T11:00:00Z', 'usage-bootstrap-authentication': 'true', 'token-secret': '0123456789abcdef' },
    });
  });

  it('hashes the CA as kubeadm does (sha256 of its public key), the same for the same key', async () => {
    const ca = await selfSignedIdentity('kubernetes', 30);
    expect(caCertHash(ca.cert)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(caCertHash(ca.cert)).toBe(caCertHash(ca.cert));
    expect(caCertHash((await selfSignedIdentity('kubernetes', 30)).cert)).not.toBe(caCertHash(ca.cert));
  });

  it.each([
    ['https://10.120.52.23:6443', '10.120.52.23:6443'],
    ['https://k8s.example:443/', 'k8s.example:443'],
    ['https://k8s.example', 'k8s.example:443'],
    ['https://[fd00::1]:6443', '[fd00::1]:6443'],
    ['http://10.0.0.1:8080', null],
    ['not a url', null],
  ])('the apiserver of %s is %s', (server, endpoint) => {
    expect(apiEndpoint(server)).toBe(endpoint);
  });

  it('puts the join command where the worker template asks for it, and reads it back as kubeadm would', () => {
    const join = { endpoint: '10.120.52.23:6443', token: 'abcdef.0123456789abcdef', caHash: `sha256:${'a'.repeat(64)}` };
    const worker = BUILT_IN_TEMPLATES.find((t) => t.name === 'Kubernetes worker')!;
    expect(worker.cloudInit).toContain(JOIN_PLACEHOLDER);
    const rendered = withJoin(worker.cloudInit, joinCommand(join));
    expect(rendered).not.toContain(JOIN_PLACEHOLDER);
    expect(rendered).toMatch(/^#cloud-config\n/);
    expect(parseJoinCommand(rendered)).toEqual(join);
    expect(parseJoinCommand('#cloud-config\nruncmd:\n  - kubeadm join 10.0.0.1:6443 --token short\n')).toBeNull();
  });
});
