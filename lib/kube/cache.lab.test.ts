import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { apiserver, movePod } from '@/lab/controls.mts';
import { labPaths } from '@/lab/paths.mts';
import { eventually, kubectl, labPrefix } from '@/lab/testing.mts';
import { KubeCache } from './cache';
import { loadKubeConfig } from './client';

const prefix = labPrefix();
const p = labPaths(prefix);
const fromFile = (file: string) => {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
};

// Everything here runs as labgate's own ServiceAccount, bound to deploy/rbac.yaml.
const cache = new KubeCache(fromFile(p.labgateKubeconfig));
afterAll(() => cache.stop());

describe("the shared Kubernetes cache, as labgate's ServiceAccount", () => {
  it('lists the lab: nodes, the kps release, workloads and namespaces, as plain records', async () => {
    await eventually('the cache to sync', async () => cache.getStatus().reachable);
    const s = cache.snapshot();
    expect(s.nodes.filter((n) => !n.name.startsWith('scale-')).map((n) => [n.name, n.internalIP, n.ready])).toEqual([
      ['node1', '10.120.52.23', true],
      ['node2', '10.120.52.24', true],
      ['node3', '10.120.52.25', true],
    ]);
    expect(s.services.find((x) => x.name === 'kps-grafana')).toMatchObject({
      namespace: 'monitoring',
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': 'kps' },
    });
    expect(s.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(
      expect.arrayContaining(['Deployment/kps-grafana', 'StatefulSet/prometheus-kps-kube-prometheus-stack-prometheus']),
    );
    expect(s.namespaces.map((n) => n.name)).toEqual(expect.arrayContaining(['default', 'monitoring', 'labgate-system']));
    // Plain records: nothing of the raw objects (managedFields, annotations) comes through.
    expect(JSON.stringify(s)).not.toMatch(/managedFields|meta\.helm\.sh/);
  });

  it('sees a label added through the API', async () => {
    await kubectl(['label', 'node', 'node2', 'type=ui', '--overwrite']);
    try {
      await eventually('the label to arrive', async () => cache.snapshot().nodes.find((n) => n.name === 'node2')?.labels.type === 'ui');
    } finally {
      await kubectl(['label', 'node', 'node2', 'type-']);
    }
    await eventually('the label to go', async () => cache.snapshot().nodes.find((n) => n.name === 'node2')?.labels.type === undefined);
  });

  it('sees a pod moved by the lab to its new node', async () => {
    const { to } = await movePod(prefix, { namespace: 'monitoring', selector: 'app.kubernetes.io/name=grafana' });
    await eventually('grafana on its new node', async () => {
      const pods = cache.snapshot().pods.filter((x) => x.labels['app.kubernetes.io/name'] === 'grafana' && !x.terminating);
      return pods.length === 1 && pods[0]!.nodeName === to && pods[0]!.ready;
    });
  });

  it('recovers by itself after the apiserver restarts', async () => {
    await apiserver(prefix, 'stopped');
    try {
      await eventually('the cache to notice', async () => !cache.getStatus().reachable, 30_000);
      expect(cache.getStatus().kinds.some((k) => /cannot be reached/.test(k.error ?? ''))).toBe(true);
    } finally {
      await apiserver(prefix, 'running');
    }
    await eventually('the cache to recover', async () => cache.getStatus().reachable, 30_000);
    await kubectl(['label', 'node', 'node3', 'after-restart=yes', '--overwrite']);
    try {
      await eventually(
        'a change after the restart',
        async () => cache.snapshot().nodes.find((n) => n.name === 'node3')?.labels['after-restart'] === 'yes',
      );
    } finally {
      await kubectl(['label', 'node', 'node3', 'after-restart-']);
    }
  });
});

describe('a kubeconfig that cannot work', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-kc-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the missing permission: which verb on which resource', async () => {
    await kubectl(['create', 'serviceaccount', 'nobody', '-n', 'labgate-system']);
    try {
      const token = (await kubectl(['create', 'token', 'nobody', '-n', 'labgate-system'])).trim();
      const kc = fromFile(p.labgateKubeconfig);
      const file = path.join(dir, 'nobody.kubeconfig');
      fs.writeFileSync(file, fs.readFileSync(p.labgateKubeconfig, 'utf8').replace(/token: .*/, `token: ${token}`));
      const weak = new KubeCache(fromFile(file));
      try {
        await eventually('the permission errors', async () => weak.getStatus().kinds.every((k) => k.error));
        expect(weak.getStatus().kinds.find((k) => k.kind === 'Service')?.error).toBe(
          "labgate's Kubernetes identity needs list and watch on services.",
        );
        expect(weak.getStatus().kinds.find((k) => k.kind === 'Deployment')?.error).toBe(
          "labgate's Kubernetes identity needs list and watch on deployments.apps.",
        );
      } finally {
        await weak.stop();
      }
      expect(kc.getCurrentCluster()?.server).toBe('https://10.120.52.23:6443');
    } finally {
      await kubectl(['delete', 'serviceaccount', 'nobody', '-n', 'labgate-system']);
    }
  });

  it('one that points nowhere says the server cannot be reached', async () => {
    const file = path.join(dir, 'nowhere.kubeconfig');
    fs.writeFileSync(file, fs.readFileSync(p.labgateKubeconfig, 'utf8').replace('10.120.52.23:6443', '10.120.52.23:6553'));
    const lost = new KubeCache(fromFile(file));
    try {
      await eventually('the errors', async () => lost.getStatus().kinds.every((k) => k.error));
      expect(lost.getStatus().kinds[0]!.error).toBe('The Kubernetes API server cannot be reached.');
    } finally {
      await lost.stop();
    }
  });

  it('one that does not parse says so, and nothing is watched', () => {
    const file = path.join(dir, 'broken.kubeconfig');
    fs.writeFileSync(file, 'clusters: [this is: not yaml');
    const broken = new KubeCache(() => loadKubeConfig({ kubeconfig: file, kubeContext: null }));
    expect(broken.getStatus()).toMatchObject({ configured: false, reachable: false, kinds: [] });
    expect(broken.getStatus().configError).toMatch(/kubeconfig could not be read/);
  });
});
