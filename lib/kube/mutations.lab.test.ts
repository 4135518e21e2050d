import { describe, expect, it } from 'vitest';
import { labPaths } from '@/lab/paths.mts';
import { kubectl, labPrefix } from '@/lab/testing.mts';
import { patchNodeLabels, patchService } from './mutations';

// Every change here is made as labgate's own ServiceAccount (deploy/rbac.yaml).
process.env.KUBECONFIG = labPaths(labPrefix()).labgateKubeconfig;

const rv = async (kind: string, name: string, ns?: string) =>
  (await kubectl(['get', kind, name, ...(ns ? ['-n', ns] : []), '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();

describe("cluster changes as labgate's ServiceAccount", () => {
  it('a label patch guarded by a stale resourceVersion says the node changed meanwhile, and changes nothing', async () => {
    const seen = await rv('node', 'node3');
    await kubectl(['label', 'node', 'node3', 'meanwhile=yes']);
    try {
      const res = await patchNodeLabels('node3', { type: 'ui' }, seen);
      expect(res).toEqual({ ok: false, status: 409, error: 'Node node3 changed meanwhile: reload and try again.' });
      expect(await kubectl(['get', 'node', 'node3', '-o', 'jsonpath={.metadata.labels.type}'])).toBe('');
      const fresh = await patchNodeLabels('node3', { type: 'ui' }, await rv('node', 'node3'));
      expect(fresh.ok).toBe(true);
    } finally {
      await kubectl(['label', 'node', 'node3', 'meanwhile-', 'type-']);
    }
  });

  it("turns the apiserver's allocation error into a clear message", async () => {
    const res = await patchService('default', 'redis', { type: 'NodePort', nodePorts: { 6379: 30080 } });
    expect(res).toMatchObject({ ok: false, status: 422, error: expect.stringMatching(/30080.*already allocated/) });
    expect(await kubectl(['get', 'service', 'redis', '-n', 'default', '-o', 'jsonpath={.spec.type}'])).toBe('ClusterIP');
  });

  it('makes a service a NodePort and back, leaving it as it was', async () => {
    expect((await patchService('default', 'redis', { type: 'NodePort', nodePorts: { 6379: 31379 } })).ok).toBe(true);
    expect(await kubectl(['get', 'service', 'redis', '-n', 'default', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).toBe('31379');
    expect((await patchService('default', 'redis', { type: 'ClusterIP', nodePorts: {} })).ok).toBe(true);
    expect(
      await kubectl([
        'get',
        'service',
        'redis',
        '-n',
        'default',
        '-o',
        'jsonpath={.spec.type}/{.spec.ports[0].nodePort}/{.spec.externalTrafficPolicy}',
      ]),
    ).toBe('ClusterIP//');
  });
});
