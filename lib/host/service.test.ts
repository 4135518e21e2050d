import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { grafanaForward, instance, node, pod, referenceNetwork, service } from '@/lib/domain/testing/fixtures';
import { findHandMade } from '@/lib/domain/firewall/handmade';
import type { TargetContext } from '@/lib/domain/forwards/targets';
import { movingTelemetryDaemon } from '@/lib/multipass/testing/daemon';
import { MultipassWatcher } from '@/lib/multipass/watcher';
import { testDb } from '@/lib/store/test-db';
import { Firewall, FirewallError } from './firewall/firewall';
import { Reconciler, RESYNC_MS } from './reconciler';
import { HostService, type HostFacts, type TargetSources } from './service';
import { FakeKernel } from './testing/fake-kernel';
import { FakeLanNames, FakeTlsProxy } from './testing/fake-names';
import { issueSiteCertificate } from '@/lib/tls/certificates.mts';
import os from 'node:os';
import type { Prober } from './health';

// The firewall logic and the host service, fast, against a stand-in kernel (the lab tests run the
// same against the real iptables in a network namespace).
const MULTIPASS_RULES = fs.readFileSync(
  path.join(import.meta.dirname, '..', '..', 'lab', 'fixtures', 'iptables', 'multipass-qemu-rules.txt'),
  'utf8',
);
const net = referenceNetwork;
const grafana = grafanaForward;
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

function setup(pods = [pod('monitoring', 'a', 'node1', app)], prober?: Prober) {
  const kernel = new FakeKernel(MULTIPASS_RULES);
  const world: { ctx: Omit<TargetContext, 'policy'> } = {
    ctx: {
      instances: [instance('ops', ['10.120.52.31'])],
      cluster: { nodes: [node('node1', '10.120.52.23'), node('node2', '10.120.52.24')], pods, services: [grafanaService] },
    },
  };
  // The cluster's next change: tests that change it call world.changed().
  const waiting = new Set<() => void>();
  const sources: TargetSources = {
    ready: async () => {},
    context: () => world.ctx,
    changed: (ms) => new Promise((resolve) => (waiting.add(resolve), setTimeout(resolve, ms))),
  };
  const changed = (ctx: typeof world.ctx) => ((world.ctx = ctx), waiting.forEach((r) => r()), waiting.clear());
  const facts: HostFacts = {
    network: () => net,
    lanAddress: () => net.lanAddress,
    policy: () => ({ networks: ['10.120.52.0/24'], hostAddresses: ['10.120.52.1', '192.168.50.27'] }),
    ipForward: () => true,
    portInUse: () => false,
    handMade: (save) => findHandMade(save, net),
  };
  const names = new FakeLanNames(['printer']);
  const tls = new FakeTlsProxy();
  const host = new HostService({
    db: testDb(),
    firewall: new Firewall(kernel),
    sources,
    facts,
    settings: {
      auditRetention: { days: 30, maxEntries: 1000 },
      journalRetentionDays: 30,
      lanName: 'labgate',
      dataDir: os.tmpdir(),
      healthIntervalMs: 30_000,
      healthWebhook: null,
    },
    names,
    tlsProxy: tls,
    targetSettleMs: 300,
    prober,
  });
  return { host, kernel, world, changed, names, tls };
}

/** How the dashboard signs people in, as the ui role sends it (the schema checks the CA's form only). */
const SIGN_IN = {
  dashboard: 'https://192.168.50.27:3000',
  gate: 'https://127.0.0.1:3000',
  ca: '-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n',
};
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
    expect(s.host.auditLog.list()[0]).toMatchObject({ actor: 'admin', action: 'forward.create', result: 'ok' });
  });

  it.each([
    { name: 'becomes a NodePort a moment after the request (the watch behind the dashboard)', nodePortAfterMs: 50, ok: true },
    { name: 'stays ClusterIP', nodePortAfterMs: null, ok: false },
  ])('a Service target that $name: taken once it resolves, else refused with the reason', async ({ nodePortAfterMs, ok }) => {
    const clusterIp = service('monitoring', 'kps-grafana', app, {
      type: 'ClusterIP',
      ports: [{ name: 'http-web', protocol: 'TCP', port: 80, targetPort: 'grafana', nodePort: null }],
    });
    const cluster = s.world.ctx.cluster!;
    s.world.ctx = { ...s.world.ctx, cluster: { ...cluster, services: [clusterIp] } };
    if (nodePortAfterMs !== null) setTimeout(() => s.changed({ ...s.world.ctx, cluster }), nodePortAfterMs);
    const res = await s.host.create(grafanaInput, 'admin');
    expect(res.ok ? res.data.status : res.error).toEqual(
      ok
        ? expect.objectContaining({ state: 'applied', targetIP: '10.120.52.23' })
        : 'Service monitoring/kps-grafana is ClusterIP: port 80 has no nodePort.',
    );
    expect(s.host.desired()).toHaveLength(ok ? 1 : 0);
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

  it('a forward to an instance that stops stays, marked stale, still pointing at its address; it is applied again once the instance runs', async () => {
    const jenkins = { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } };
    const created = await s.host.create(jenkins, 'admin');
    expect(created).toMatchObject({ ok: true, data: { status: { state: 'applied', targetIP: '10.120.52.31' } } });
    const before = s.kernel.save();
    s.world.ctx = { ...s.world.ctx, instances: [instance('ops', [], 'Stopped')] };
    expect((await s.host.sync()).ok).toBe(true);
    expect(s.host.list()[0]).toMatchObject({
      status: { state: 'stale', targetIP: '10.120.52.31', reason: expect.stringContaining('stopped') },
    });
    expect(s.kernel.save()).toBe(before);
    s.world.ctx = { ...s.world.ctx, instances: [instance('ops', ['10.120.52.31', '10.244.0.1'])] };
    expect((await s.host.sync()).ok).toBe(true);
    expect(s.host.list()[0]).toMatchObject({ status: { state: 'applied', targetIP: '10.120.52.31' } });
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

/** The save with every rule of one table gone and its chains kept, as `iptables -t TABLE -F` leaves it. */
const flushed = (save: string, table: string) => {
  let current = '';
  return save
    .split('\n')
    .filter((l) => {
      if (l.startsWith('*')) current = l.slice(1);
      return !(current === table && l.startsWith('-A '));
    })
    .join('\n');
};

describe('HostService: names on the LAN and HTTPS', () => {
  const caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-ca-'));
  const jenkins = { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } };

  it('a named forward publishes NAME.local at the LAN address and shows it as its URL; the dashboard keeps its own name', async () => {
    const { host, names } = setup();
    const res = await host.create({ ...grafanaInput, lanName: 'grafana' }, 'admin');
    expect(res.ok && res.data.url).toBe('http://grafana.local:30060/');
    expect(Object.fromEntries(names.published)).toEqual({ labgate: '192.168.50.27', grafana: '192.168.50.27' });
    await host.remove(res.ok ? res.data.id : '', 'admin');
    expect(Object.fromEntries(names.published)).toEqual({ labgate: '192.168.50.27' });
  });

  it.each([
    [{ lanName: 'printer' }, 409, /printer\.local is already taken on the LAN.*Try printer-2\.local/],
    [{ lanName: 'labgate' }, 422, /the dashboard's own name/],
    [{ lanName: 'Grafana!' }, 400, /./],
  ])('%j is refused and nothing is stored or written', async (extra, status, message) => {
    const { host, kernel } = setup();
    const before = kernel.save();
    const res = await host.create({ ...grafanaInput, ...extra }, 'admin');
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.status).toBe(status);
      expect(`${res.error} ${JSON.stringify(res.fieldErrors ?? {})}`).toMatch(message);
    }
    expect(host.list()).toEqual([]);
    expect(kernel.save()).toBe(before);
  });

  it('HTTPS: Caddy gets the name, the certificate and where the forward points, and follows it when the pod moves', async () => {
    const { host, tls, world } = setup();
    const cert = await issueSiteCertificate(caDir, 'grafana.local');
    const res = await host.create({ ...grafanaInput, lanName: 'grafana', tls: cert }, 'admin');
    expect(res.ok && res.data.url).toBe('https://grafana.local/');
    expect(tls.sites).toEqual([{ name: 'grafana.local', upstream: '10.120.52.23:30060', ...cert }]);
    expect(JSON.stringify(host.list())).not.toContain('PRIVATE KEY');
    world.ctx = { ...world.ctx, cluster: { ...world.ctx.cluster!, pods: [pod('monitoring', 'b', 'node2', app)] } };
    await host.sync();
    expect(tls.sites[0]!.upstream).toBe('10.120.52.24:30060');
    // Sign-in: Caddy asks the dashboard first, except for the host's own checks; a certificate's renewal keeps it.
    const id = res.ok ? res.data.id : '';
    const signed = await host.update({ id, signIn: SIGN_IN }, 'admin');
    expect(signed.ok && signed.data.requiresSignIn).toBe(true);
    expect(tls.sites[0]!.signIn).toEqual({ ...SIGN_IN, exempt: ['127.0.0.0/8', '192.168.50.27/32'] });
    await host.update({ id, tls: await issueSiteCertificate(caDir, 'grafana.local') }, 'admin');
    expect(tls.sites[0]!.signIn?.dashboard).toBe(SIGN_IN.dashboard);
    expect(JSON.stringify(host.list())).not.toContain('BEGIN CERTIFICATE');
    // Renamed without HTTPS: the site goes, the forward stays.
    const plain = await host.update({ id, tls: null }, 'admin');
    expect(plain.ok && plain.data.url).toBe('http://grafana.local:30060/');
    expect(plain.ok && plain.data.requiresSignIn).toBe(false); // no HTTPS, no sign-in
    expect(tls.sites).toEqual([]);
  });

  it.each([
    [
      'a certificate for another name',
      async () => ({ lanName: 'grafana', tls: await issueSiteCertificate(caDir, 'jenkins.local') }),
      /not for grafana\.local/,
    ],
    [
      'a key of another certificate',
      async () => ({
        lanName: 'grafana',
        tls: { ...(await issueSiteCertificate(caDir, 'grafana.local')), key: (await issueSiteCertificate(caDir, 'grafana.local')).key },
      }),
      /key does not belong/,
    ],
    ['HTTPS without a name', async () => ({ tls: await issueSiteCertificate(caDir, 'grafana.local') }), /needs a name/],
    ['sign-in without HTTPS', async () => ({ lanName: 'grafana', signIn: SIGN_IN }), /Sign in with labgate needs HTTPS/],
    [
      'sign-in through a dashboard URL with a path',
      async () => ({
        lanName: 'grafana',
        tls: await issueSiteCertificate(caDir, 'grafana.local'),
        signIn: { ...SIGN_IN, dashboard: 'https://x:3000/p' },
      }),
      /origin only/,
    ],
  ])('HTTPS with %s is refused', async (_, extra, message) => {
    const { host, tls } = setup();
    const res = await host.create({ ...grafanaInput, ...(await extra()) }, 'admin');
    expect(res.ok).toBe(false);
    expect(!res.ok && JSON.stringify(res)).toMatch(message);
    expect(host.list()).toEqual([]);
    expect(tls.sites).toEqual([]);
  });

  it('Caddy down: the HTTPS forward is refused and undone whole, kernel included', async () => {
    const { host, tls, kernel } = setup();
    await host.create(jenkins, 'admin');
    const before = kernel.save();
    tls.down = true;
    const res = await host.create(
      { ...grafanaInput, lanName: 'grafana', tls: await issueSiteCertificate(caDir, 'grafana.local') },
      'admin',
    );
    expect(!res.ok && res.error).toMatch(/Caddy is not running/);
    expect(host.list().map((f) => f.name)).toEqual(['Jenkins']);
    expect(kernel.save()).toBe(before);
  });
});

describe('Reconciler: cheap while nothing happens, a full read only when something may have', () => {
  let s: ReturnType<typeof setup>;
  let reconciler: Reconciler;
  const second = async (n = 1) => {
    for (let i = 0; i < n; i++) {
      vi.setSystemTime(Date.now() + 1_000);
      await reconciler.check();
    }
  };
  const ours = (save: string) =>
    save
      .split('\n')
      .filter((l) => /labgate|LABGATE/.test(l))
      .sort();
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    s = setup();
    reconciler = new Reconciler(s.host, () => []);
    expect((await s.host.create(grafanaInput, 'admin')).ok).toBe(true);
    await second(); // labgate just wrote: one full read to confirm
  });
  afterEach(() => void vi.useRealTimers());

  it("lists only labgate's rules of the two tables each second, and reads the whole rule set once per resync period", async () => {
    const { save, iptables } = s.kernel.calls;
    await second(RESYNC_MS / 1_000 - 1);
    expect(s.kernel.calls.save).toBe(save);
    expect(s.kernel.calls.iptables - iptables).toBe(2 * (RESYNC_MS / 1_000 - 1));
    await second();
    expect(s.kernel.calls.save).toBe(save + 1);
    expect(s.kernel.calls.restore).toBe(1); // and nothing written: the kernel matched
  });

  it.each([
    { what: 'a reboot', change: () => MULTIPASS_RULES },
    { what: 'iptables -t nat -F', change: (save: string) => flushed(save, 'nat') },
    { what: 'iptables -F (the filter table)', change: (save: string) => flushed(save, 'filter') },
  ])('$what: noticed within a second and repaired, with one full read of the kernel', async ({ change }) => {
    const saved = s.kernel.save();
    s.kernel.load(change(saved));
    const reads = s.kernel.calls.save;
    await second();
    expect(s.kernel.calls.save - reads).toBe(1);
    expect(ours(s.kernel.save())).toEqual(ours(saved));
    const { save } = s.kernel.calls;
    await second(3);
    expect(s.kernel.calls.save).toBe(save); // confirmed in the same check: cheap again at once
  });

  it.each([
    { what: 'one of its rules deleted', change: (save: string) => save.replace(/^-A LABGATE-FORWARD .*\n/m, '') },
    {
      what: 'a rule someone else added to its chain',
      change: (save: string) => save.replace(/^(-A LABGATE-DNAT .*)$/m, '$1\n-A LABGATE-DNAT -p tcp -m tcp --dport 9999 -j RETURN'),
    },
    {
      what: "another labgate's rules (its own mark in the canary)",
      change: (save: string) => save.replaceAll('--comment labgate-canary ', '--comment labgate-canary-0ther1d '),
    },
  ])('$what: noticed within a second, not at the resync period, and repaired', async ({ change }) => {
    const saved = s.kernel.save();
    const changed = change(saved);
    expect(changed).not.toBe(saved);
    s.kernel.load(changed);
    await second();
    expect(s.kernel.save()).toBe(saved);
  });

  it('a failed repair is tried again every second until the kernel takes it', async () => {
    s.kernel.load(MULTIPASS_RULES);
    s.kernel.refuse = true;
    const { restore } = s.kernel.calls;
    await second(3);
    expect(s.kernel.calls.restore - restore).toBe(3);
    expect((await s.host.lastStatus()).ok && (await s.host.lastStatus())).toMatchObject({ data: { inSync: false } });
    s.kernel.refuse = false;
    await second();
    expect((await s.host.lastStatus()).ok && (await s.host.lastStatus())).toMatchObject({
      data: { inSync: true, lastSync: { error: null } },
    });
  });
});

describe('Reconciler and Multipass telemetry', () => {
  afterEach(() => void vi.useRealTimers());

  it('5 minutes of telemetry moving on every poll: no wake-up and no iptables-restore; a state change wakes it', async () => {
    vi.useFakeTimers();
    const s = setup();
    expect((await s.host.create(grafanaInput, 'admin')).ok).toBe(true);
    const daemon = movingTelemetryDaemon();
    const watcher = new MultipassWatcher(daemon.source, 2_000);
    const reconciler = new Reconciler(s.host, () => [watcher]);
    await reconciler.start();
    const wake = vi.spyOn(reconciler, 'request');
    const { restore } = s.kernel.calls;
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(daemon.calls()).toBeGreaterThanOrEqual(150);
    expect(wake).not.toHaveBeenCalled();
    expect(s.kernel.calls.restore).toBe(restore);
    daemon.vm.state = 'Stopped';
    await vi.advanceTimersByTimeAsync(2_000);
    expect(wake).toHaveBeenCalledTimes(1);
    reconciler.stop();
    watcher.stop();
  });
});

describe('the health monitor', () => {
  /** A prober whose answer the test sets, and that can hold a probe until released. */
  function heldProber() {
    const state = {
      answer: { up: true, responseMs: 1 as number | null, reason: null as string | null },
      hold: null as Promise<void> | null,
      calls: 0,
    };
    const prober: Prober = async () => {
      state.calls++;
      const answer = state.answer; // what the service says when it is asked
      await state.hold;
      return answer;
    };
    return { state, prober };
  }

  it('a round asked for while one runs runs once more after it: never an answer from before the asking', async () => {
    const { state, prober } = heldProber();
    const t = setup(undefined, prober);
    const created = await t.host.create(grafanaInput, 'admin');
    const id = created.ok ? created.data.id : '';
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const first = t.host.health.round();
    state.answer = { up: false, responseMs: null, reason: 'connection refused by 10.120.52.23:30060' };
    const second = t.host.health.round();
    const third = t.host.health.round(); // joins the second
    state.hold = null;
    release();
    await first;
    expect(t.host.health.health(id)!.state).toBe('up');
    await Promise.all([second, third]);
    expect(t.host.health.health(id)).toMatchObject({ state: 'down', reason: 'connection refused by 10.120.52.23:30060' });
    expect(state.calls).toBe(2);
  });

  it('probes a forward as soon as it is created while the monitor runs, not at the next interval', async () => {
    const { state, prober } = heldProber();
    const t = setup(undefined, prober);
    t.host.health.start(); // every 30 s by default
    try {
      await t.host.health.round();
      const created = await t.host.create(grafanaInput, 'admin');
      const id = created.ok ? created.data.id : '';
      await expect
        .poll(() => t.host.get(id).ok && (t.host.get(id) as { data: { health: unknown } }).data.health)
        .toMatchObject({ state: 'up' });
      expect(state.calls).toBe(1);
    } finally {
      t.host.health.stop();
    }
  });
});
