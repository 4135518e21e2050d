import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { instance, node, pod, service } from '@/lib/domain/fixtures';
import { findHandMade } from '@/lib/domain/handmade';
import type { TargetContext } from '@/lib/domain/targets';
import { testDb } from '@/lib/store/test-db';
import { Firewall, FirewallError } from './firewall/firewall';
import { HostService, type HostFacts, type TargetSources } from './service';
import { FakeKernel } from './testing/fake-kernel';

// The firewall logic and the host service, fast, against a stand-in kernel (the lab tests run the
// same against the real iptables in a network namespace).
const MULTIPASS_RULES = fs.readFileSync(
  path.join(import.meta.dirname, '..', '..', 'lab', 'fixtures', 'iptables', 'multipass-qemu-rules.txt'),
  'utf8',
);
const net = { lanInterface: 'enp3s0', lanAddress: '192.168.50.27', lanCidr: '192.168.50.0/24' };
const grafana = { id: 'g1', protocol: 'tcp' as const, listenPort: 30060, listenAddress: null, targetIP: '10.120.52.23', targetPort: 30060 };
const foreign = (save: string) => save.split('\n').filter((l) => l.startsWith('-A') && !l.includes('LABGATE') && !l.includes('labgate'));

describe('Firewall.sync', () => {
  it('writes once, then nothing while the kernel matches; repairs a flush; never touches a foreign rule', async () => {
    const kernel = new FakeKernel(MULTIPASS_RULES);
    const fw = new Firewall(kernel);
    const before = foreign(kernel.save());
    expect((await fw.sync([grafana], net)).applied).toBe(true);
    expect(kernel.save()).toContain('--comment "labgate:g1" -j DNAT --to-destination 10.120.52.23:30060');
    expect((await fw.sync([grafana], net)).applied).toBe(false);
    expect(fw.restores).toBe(1);
    kernel.load(MULTIPASS_RULES); // a reboot
    expect((await fw.sync([grafana], net)).applied).toBe(true);
    expect(foreign(kernel.save())).toEqual(before);
    expect(
      kernel
        .save()
        .split('\n')
        .filter((l) => l.startsWith('-A FORWARD'))[0],
    ).toContain('-j LABGATE-FORWARD'); // before Multipass's REJECTs
  });

  it('a refused restore throws the reason with the capability it needs, and changes nothing', async () => {
    const kernel = new FakeKernel(MULTIPASS_RULES);
    kernel.refuse = true;
    const saved = kernel.save();
    const err = await new Firewall(kernel).sync([grafana], net).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FirewallError);
    expect((err as FirewallError).detail).toContain('CAP_NET_ADMIN');
    expect(kernel.save()).toBe(saved);
  });
});

const app = { 'app.kubernetes.io/name': 'grafana' };
const grafanaService = service('monitoring', 'kps-grafana', app, {
  type: 'NodePort',
  ports: [{ name: 'http-web', protocol: 'TCP', port: 80, targetPort: 'grafana', nodePort: 30060 }],
});

function setup(pods = [pod('monitoring', 'a', 'node1', app)]) {
  const kernel = new FakeKernel(MULTIPASS_RULES);
  const world: { ctx: Omit<TargetContext, 'policy'> } = {
    ctx: {
      instances: [instance('ops', ['10.120.52.31'])],
      cluster: { nodes: [node('node1', '10.120.52.23'), node('node2', '10.120.52.24')], pods, services: [grafanaService] },
    },
  };
  const sources: TargetSources = { ready: async () => {}, context: () => world.ctx };
  const facts: HostFacts = {
    network: () => net,
    lanAddress: () => net.lanAddress,
    policy: () => ({ networks: ['10.120.52.0/24'], hostAddresses: ['10.120.52.1', '192.168.50.27'] }),
    ipForward: () => true,
    portInUse: () => false,
    handMade: (save) => findHandMade(save, net),
  };
  const host = new HostService({
    db: testDb(),
    firewall: new Firewall(kernel),
    sources,
    facts,
    settings: { auditRetention: { days: 30, maxEntries: 1000 }, journalRetentionDays: 30 },
  });
  return { host, kernel, world };
}

const grafanaInput = {
  name: 'Grafana',
  listenPort: 30060,
  target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 },
};

describe('HostService', () => {
  let s: ReturnType<typeof setup>;
  beforeEach(() => (s = setup()));

  it('creates a forward: stored, applied, audited', async () => {
    const res = await s.host.create(grafanaInput, 'admin');
    expect(res).toMatchObject({
      ok: true,
      data: { name: 'Grafana', status: { state: 'applied', node: 'node1', targetIP: '10.120.52.23' }, url: 'http://192.168.50.27:30060/' },
    });
    expect(s.kernel.save()).toContain('--to-destination 10.120.52.23:30060');
    expect(s.host.audit()[0]).toMatchObject({ actor: 'admin', action: 'forward.create', result: 'ok' });
  });

  it.each([
    { name: 'create', run: (h: HostService) => h.create({ ...grafanaInput, name: 'Other', listenPort: 30061 }, 'admin') },
    { name: 'update', run: (h: HostService) => h.update({ id: h.desired()[0]!.id, listenPort: 30062 }, 'admin') },
    { name: 'remove', run: (h: HostService) => h.remove(h.desired()[0]!.id, 'admin') },
  ])('a kernel that refuses makes $name change nothing: store and kernel as before', async ({ run }) => {
    expect((await s.host.create(grafanaInput, 'admin')).ok).toBe(true);
    const [store, kernel] = [JSON.stringify(s.host.desired()), s.kernel.save()];
    s.kernel.refuse = true;
    const res = await run(s.host);
    expect(res).toMatchObject({ ok: false, status: 502, error: expect.stringContaining('CAP_NET_ADMIN') });
    expect(JSON.stringify(s.host.desired())).toBe(store);
    expect(s.kernel.save()).toBe(kernel);
  });

  it('an update keeps the node a forward sticks to (one UPDATE, not delete and insert)', async () => {
    const both = setup([pod('monitoring', 'b', 'node2', app)]);
    const created = await both.host.create(grafanaInput, 'admin');
    expect(created).toMatchObject({ ok: true, data: { status: { node: 'node2' } } });
    // Now the pod runs on both nodes: node1 would be the first pick, but the forward stays where it is.
    both.world.ctx = {
      ...both.world.ctx,
      cluster: { ...both.world.ctx.cluster!, pods: [pod('monitoring', 'a', 'node1', app), pod('monitoring', 'b', 'node2', app)] },
    };
    const updated = await both.host.update({ id: created.ok ? created.data.id : '', name: 'Grafana (LAN)' }, 'admin');
    expect(updated).toMatchObject({ ok: true, data: { name: 'Grafana (LAN)', status: { node: 'node2', targetIP: '10.120.52.24' } } });
  });

  it('sync writes nothing when the kernel already matches', async () => {
    await s.host.create(grafanaInput, 'admin');
    const restores = s.kernel.payloads.length;
    expect(await s.host.sync()).toEqual({ ok: true, data: { applied: false } });
    expect(s.kernel.payloads).toHaveLength(restores);
  });
});
