import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiserver, dockerRules, movePod, rebootFirewall, grafanaNodePortArgs, setInstanceAddress } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { curlFrom, eventually, iptables, kubectl, labPrefix, ruleset } from '@/lab/testing.mts';
import { LAN, namespaces, vmByName } from '@/lab/topology.mts';
import type { ForwardView } from './service';
import { labHost } from './testing/lab-host';
import { hostStatus } from './testing/status';

const prefix = labPrefix();
const lanUrl = (port: number) => `http://${LAN.host}:${port}/`;
const save = async () => (await run('iptables-save', [])).stdout;
/** Every rule that is not labgate's, as iptables-save prints it: must never change. */
const foreign = async () =>
  (await save())
    .split('\n')
    .filter((l) => l.startsWith('-A ') && !l.includes('LABGATE') && !l.includes('labgate'))
    .join('\n');
const answerFromLan = async (port: number) => {
  const res = await curlFrom('lan', lanUrl(port));
  return res.ok ? (JSON.parse(res.body) as { service: string; node: string }) : null;
};

const lab = labHost(); // from a clean slate: only the daemons' own rules; no forward left by any test
let foreignBefore = '';

beforeAll(async () => {
  foreignBefore = await foreign();
  await kubectl(grafanaNodePortArgs(true));
});

afterAll(() => kubectl(grafanaNodePortArgs(false)));

async function grafanaForward(): Promise<ForwardView> {
  const res = await lab.host.create(
    { name: 'Grafana', listenPort: 30060, target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 } },
    'test',
  );
  if (!res.ok) throw new Error(res.error);
  return res.data;
}

describe('forwards against the real kernel, with traffic from the LAN', () => {
  it('a forward to a service answers from lan on the node running its pod; closing it leaves no rule', async () => {
    const f = await grafanaForward();
    const node = (
      await kubectl(['get', 'pods', '-n', 'monitoring', '-l', 'app.kubernetes.io/name=grafana', '-o', 'jsonpath={.items[0].spec.nodeName}'])
    ).trim();
    expect(f.status).toMatchObject({ state: 'applied', node });
    expect(f.url).toBe(lanUrl(30060));
    expect(await answerFromLan(30060)).toMatchObject({ service: 'kps-grafana', node });
    expect(await foreign()).toBe(foreignBefore);

    expect((await lab.host.remove(f.id, 'test')).ok).toBe(true);
    expect((await curlFrom('lan', lanUrl(30060))).ok).toBe(false);
    expect(await save()).not.toContain(`labgate:${f.id}`);
    expect(await foreign()).toBe(foreignBefore);
  });

  it('comes back by itself after a reboot and after iptables -F', async () => {
    const f = await grafanaForward();
    await rebootFirewall(prefix);
    await eventually('the forward to answer after the reboot', () => answerFromLan(30060));
    await iptables('-t', 'nat', '-F');
    await iptables('-t', 'filter', '-F');
    expect((await save()).includes(`labgate:${f.id}`)).toBe(false);
    await eventually('the forward to answer after the flush', () => answerFromLan(30060));
    await rebootFirewall(prefix); // puts the daemons' rules back as they were
    await eventually('the forward to answer again', () => answerFromLan(30060));
    expect(await foreign()).toBe(foreignBefore);
    await lab.host.remove(f.id, 'test');
  });

  it("re-points when the service's pod moves to another node", async () => {
    const f = await grafanaForward();
    const { from, to } = await movePod(prefix, { namespace: 'monitoring', selector: 'app.kubernetes.io/name=grafana' });
    expect(to).not.toBe(from);
    await eventually(`the LAN URL to answer from ${to}`, async () => (await answerFromLan(30060))?.node === to);
    // The status is written once iptables-restore has exited: a moment after the kernel took the rules.
    await eventually(
      `the forward's status to name ${to}`,
      async () => lab.host.list().find((x) => x.id === f.id)?.status?.node === to,
      5_000,
    );
  });

  it('keeps the forward, marked stale, while the apiserver is down', async () => {
    const f = await grafanaForward();
    await apiserver(prefix, 'stopped');
    try {
      await lab.host.sync();
      await eventually('the forward to be marked stale', async () => {
        await lab.host.sync();
        return lab.host.list().find((x) => x.id === f.id)?.status?.state === 'stale';
      });
      expect(await answerFromLan(30060)).toMatchObject({ service: 'kps-grafana' });
    } finally {
      await apiserver(prefix, 'running');
    }
    await eventually(
      'the forward to be applied again',
      async () => {
        await lab.host.sync();
        return lab.host.list().find((x) => x.id === f.id)?.status?.state === 'applied';
      },
      30_000,
    );
    await lab.host.remove(f.id, 'test');
  });

  it('passes traffic under a Docker-style FORWARD policy DROP', async () => {
    await dockerRules(prefix, true);
    try {
      const res = await lab.host.create(
        { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } },
        'test',
      );
      expect(res.ok).toBe(true);
      expect((await curlFrom('lan', lanUrl(8080))).body).toContain('Jenkins');
      if (res.ok) await lab.host.remove(res.data.id, 'test');
    } finally {
      await dockerRules(prefix, false);
    }
  });
});

describe("a VM's address changes, as DHCP may give it after a restart", () => {
  /** The addresses labgate's chains send traffic to (each once: the host's rule and the LAN's name the same): DNAT targets only, so the old one can be looked for. */
  const dnatTargets = async () => [
    ...new Set([...(await save()).matchAll(/-A LABGATE\S* .*--to-destination (\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1])),
  ];

  it('an instance forward to ops:8080 follows it through Multipass; the old address is no longer targeted', async () => {
    const res = await lab.host.create({ name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } }, 'test');
    if (!res.ok) throw new Error(res.error);
    expect(await dnatTargets()).toEqual(['10.120.52.31']);
    try {
      await setInstanceAddress(prefix, 'ops', '10.120.52.41');
      // No sync asked for: the Multipass watcher sees the new address and wakes the reconciler.
      await eventually('the forward to target the new address', async () => {
        const s = lab.host.list().find((x) => x.id === res.data.id)?.status;
        return s?.state === 'applied' && s.targetIP === '10.120.52.41';
      });
      expect(await dnatTargets()).toEqual(['10.120.52.41']);
      expect((await curlFrom('lan', lanUrl(8080))).body).toContain('Jenkins');
      expect(await foreign()).toBe(foreignBefore);
    } finally {
      await setInstanceAddress(prefix, 'ops', '10.120.52.31');
    }
    await eventually('the forward to target the old address again', async () => (await dnatTargets()).join() === '10.120.52.31');
    expect((await curlFrom('lan', lanUrl(8080))).body).toContain('Jenkins');
  });

  it("a UDP flow that was already running reaches the new address: the old target's conntrack entries are forgotten", async () => {
    const res = await lab.host.create(
      { name: 'Echo', protocol: 'udp', listenPort: 5005, target: { kind: 'instance', name: 'ops', port: 5005 } },
      'test',
    );
    if (!res.ok) throw new Error(res.error);
    // A laptop's flow: one source port, a datagram every 100 ms, each reply printed (what a game or a VoIP call does).
    const flow = spawn(
      'ip',
      [
        'netns',
        'exec',
        namespaces(prefix).lan,
        process.execPath,
        '-e',
        `const s = require('node:dgram').createSocket('udp4');
         s.on('message', (m) => console.log(m.toString()));
         s.bind(${40000 + Math.floor(Math.random() * 20000)}, () => setInterval(() => s.send('ping', 5005, ${JSON.stringify(LAN.host)}), 100));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let replies = 0;
    flow.stdout.on(
      'data',
      (d: Buffer) =>
        (replies += d
          .toString()
          .split('\n')
          .filter((l) => l === 'ops ping').length),
    );
    try {
      await eventually('the flow to be answered', async () => replies > 3);
      await setInstanceAddress(prefix, 'ops', '10.120.52.41');
      await eventually('the forward to target the new address', async () => (await dnatTargets()).join() === '10.120.52.41');
      const before = replies;
      // The same flow, never paused: answered again from the new address.
      await eventually('the running flow answered again', async () => replies > before + 3, 10_000);
    } finally {
      flow.kill();
      await setInstanceAddress(prefix, 'ops', '10.120.52.31');
    }
    await eventually('the forward to target the old address again', async () => (await dnatTargets()).join() === '10.120.52.31');
  });

  it("a service forward follows its pod's node to the node VM's new address, in Multipass and in Kubernetes", async () => {
    const f = await grafanaForward();
    let node = f.status!.node!;
    // node1 carries the apiserver's address and cannot move: the pod moves off it first.
    if (node === 'node1') node = (await movePod(prefix, { namespace: 'monitoring', selector: 'app.kubernetes.io/name=grafana' })).to;
    const old = vmByName(node)!.address;
    await eventually(`the forward to point at ${node}`, async () => (await dnatTargets()).join() === old);
    try {
      await setInstanceAddress(prefix, node, '10.120.52.42');
      await eventually(`the forward to target ${node}'s new address`, async () => {
        const s = lab.host.list().find((x) => x.id === f.id)?.status;
        return s?.state === 'applied' && s.node === node && s.targetIP === '10.120.52.42';
      });
      expect(await dnatTargets()).toEqual(['10.120.52.42']);
      expect(await answerFromLan(30060)).toMatchObject({ service: 'kps-grafana', node });
    } finally {
      await setInstanceAddress(prefix, node, old);
    }
    await eventually('the forward to target the old address again', async () => (await dnatTargets()).join() === old);
    expect(await answerFromLan(30060)).toMatchObject({ service: 'kps-grafana', node });
    expect(await foreign()).toBe(foreignBefore);
  });
});

describe('a node that reports an address it should not', () => {
  const setInternalIP = (node: string, address: string) =>
    kubectl([
      'patch',
      'node',
      node,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({
        status: {
          addresses: [
            { type: 'InternalIP', address },
            { type: 'Hostname', address: node },
          ],
        },
      }),
    ]);
  const addresses: Record<string, string> = { node1: '10.120.52.23', node2: '10.120.52.24', node3: '10.120.52.25' };

  // What a root in the node's VM may do with the kubelet's own credentials.
  it.each([
    { name: 'a foreign address', address: '203.0.113.7', reason: 'reports InternalIP 203.0.113.7, outside the allowed networks' },
    {
      name: 'a rule smuggled after a newline',
      address: '10.120.52.23\n-I INPUT 1 -j ACCEPT\n-A LABGATE-CANARY -m comment --comment z',
      reason: 'reports InternalIP "10.120.52.23\\n-I INPUT 1 -j ACCEPT\\n-A LAB…", not an IPv4 address',
    },
  ])('$name: the forward keeps its last safe target, says why, and nothing outside its chains changes', async ({ address, reason }) => {
    const f = await grafanaForward();
    const node = f.status!.node!;
    const before = await foreign();
    const answers = await answerFromLan(30060);
    expect(answers).toMatchObject({ node });
    try {
      await setInternalIP(node, address);
      const marked = await eventually('the forward to be marked with the reason', async () => {
        await lab.host.sync();
        const s = lab.host.list().find((x) => x.id === f.id)?.status;
        if (s?.state === 'error' && s.reason?.includes(`${node} ${reason}`)) return s;
        throw new Error(`status ${JSON.stringify(s)}`);
      });
      expect(marked).toMatchObject({ targetIP: addresses[node], node });
      for (let i = 0; i < 5; i++) await lab.host.sync(); // every sync, not only the first, stays clean
      expect(await save()).not.toMatch(/203\.0\.113\.7|^-A INPUT -j ACCEPT$|--comment z$/m);
      expect(await foreign()).toBe(before);
      expect(await answerFromLan(30060)).toMatchObject({ node });
    } finally {
      await setInternalIP(node, addresses[node]!);
    }
    await eventually('the forward to be applied again', async () => {
      await lab.host.sync();
      const s = lab.host.list().find((x) => x.id === f.id)?.status;
      return s?.state === 'applied' && s.reason === null && s.targetIP === addresses[node];
    });
    expect(await foreign()).toBe(before);
    expect(await foreign()).toBe(foreignBefore);
  });
});

describe('a forward with a listen address', () => {
  it('answers only on that address of the host, not on its other one', async () => {
    // A second address on the host's LAN interface, as a host with an alias or a second DHCP lease has.
    await run('ip', ['addr', 'add', '192.168.50.28/24', 'dev', LAN.hostInterface]);
    try {
      const res = await lab.host.create(
        { name: 'Jenkins', listenPort: 8083, listenAddress: '192.168.50.28', target: { kind: 'instance', name: 'ops', port: 8080 } },
        'test',
      );
      if (!res.ok) throw new Error(res.error);
      expect((await curlFrom('lan', 'http://192.168.50.28:8083/')).body).toContain('Jenkins');
      expect((await curlFrom('lan', `http://${LAN.host}:8083/`)).ok).toBe(false);
    } finally {
      await run('ip', ['addr', 'del', '192.168.50.28/24', 'dev', LAN.hostInterface]);
    }
  });
});

describe('a forward on port 443', () => {
  let laptop: { kill: () => void } | null = null;
  afterAll(() => laptop?.kill());

  it("leaves the host's own outbound HTTPS alone", async () => {
    // Something on the LAN answers on 443; the host's connection to it must still reach it.
    const { spawn } = await import('node:child_process');
    const child = spawn(
      'ip',
      ['netns', 'exec', `${prefix}lan`, process.execPath, '-e', "require('http').createServer((q,r)=>r.end('the laptop')).listen(443)"],
      { stdio: 'ignore' },
    );
    laptop = { kill: () => child.kill() };
    await eventually(
      'the laptop to listen',
      async () => (await run('curl', ['-sS', '--max-time', '1', 'http://192.168.50.10:443/'])).stdout === 'the laptop',
    );
    const res = await lab.host.create({ name: 'Web', listenPort: 443, target: { kind: 'instance', name: 'ops', port: 8080 } }, 'test');
    expect(res.ok).toBe(true);
    expect((await run('curl', ['-sS', '--max-time', '2', 'http://192.168.50.10:443/'])).stdout).toBe('the laptop');
    expect((await curlFrom('lan', lanUrl(443))).body).toContain('Jenkins');
    if (res.ok) await lab.host.remove(res.data.id, 'test');
  });
});

describe('bad input changes nothing', () => {
  let server: http.Server;
  let busyPort = 0;
  beforeAll(async () => {
    server = http.createServer((_q, r) => r.end('busy'));
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    busyPort = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it.each([
    {
      name: 'a newline in the name',
      input: { name: 'a\nb', listenPort: 9001, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      status: 400,
    },
    {
      name: 'quotes in the description',
      input: { name: 'x', description: '" -j ACCEPT', listenPort: 9001, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      status: 400,
    },
    {
      name: 'a 10 KB name',
      input: { name: 'x'.repeat(10_240), listenPort: 9001, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      status: 400,
    },
    { name: 'port 0', input: { name: 'x', listenPort: 0, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } }, status: 400 },
    {
      name: 'port 70000',
      input: { name: 'x', listenPort: 70000, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      status: 400,
    },
    {
      name: 'a target outside the allowed networks',
      input: { name: 'x', listenPort: 9001, target: { kind: 'static', ip: '1.1.1.1', port: 53 } },
      status: 422,
    },
    {
      name: 'a ClusterIP service',
      input: { name: 'x', listenPort: 9001, target: { kind: 'service', namespace: 'default', name: 'redis', port: 6379 } },
      status: 422,
    },
  ])('$name', async ({ input, status }) => {
    const before = await ruleset();
    const res = await lab.host.create(input, 'test');
    expect(res).toMatchObject({ ok: false, status });
    expect(lab.host.list()).toEqual([]);
    expect(await ruleset()).toBe(before);
  });

  it('a port something on the host listens on', async () => {
    const before = await ruleset();
    const res = await lab.host.create(
      { name: 'x', listenPort: busyPort, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      'test',
    );
    expect(res).toMatchObject({ ok: false, status: 409, error: expect.stringMatching(/in use by a program/) });
    expect(await ruleset()).toBe(before);
  });

  it('a port another forward has', async () => {
    const first = await lab.host.create(
      { name: 'MySQL', listenPort: 3306, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      'test',
    );
    expect(first.ok).toBe(true);
    const second = await lab.host.create(
      { name: 'Other', listenPort: 3306, target: { kind: 'instance', name: 'ops', port: 8080 } },
      'test',
    );
    expect(second).toMatchObject({ ok: false, status: 409, fieldErrors: { listenPort: [expect.stringMatching(/MySQL/)] } });
    if (first.ok) await lab.host.remove(first.data.id, 'test');
  });
});

describe("adopting the reference host's hand-made forward", () => {
  it('shows it, refuses a second forward on its port, adopts it and the URL keeps working', async () => {
    const node = (
      await kubectl(['get', 'pods', '-n', 'monitoring', '-l', 'app.kubernetes.io/name=grafana', '-o', 'jsonpath={.items[0].spec.nodeName}'])
    ).trim();
    const ip = { node1: '10.120.52.23', node2: '10.120.52.24', node3: '10.120.52.25' }[node]!;
    // Exactly what design.md says the person typed.
    await iptables(
      '-t',
      'nat',
      '-I',
      'PREROUTING',
      '-i',
      'enp3s0',
      '-p',
      'tcp',
      '--dport',
      '30060',
      '-j',
      'DNAT',
      '--to-destination',
      `${ip}:30060`,
    );
    await iptables('-I', 'FORWARD', '1', '-p', 'tcp', '-d', ip, '--dport', '30060', '-j', 'ACCEPT');
    await eventually('the hand-made forward to answer', () => answerFromLan(30060));
    const status = await hostStatus(lab.host);
    const handMade = status.handMade.find((h) => h.listenPort === 30060)!;
    expect(handMade).toMatchObject({ protocol: 'tcp', targetIP: ip, targetPort: 30060 });
    expect(handMade.rules).toHaveLength(2);

    expect(await lab.host.create({ name: 'Again', listenPort: 30060, target: { kind: 'static', ip, port: 30060 } }, 'test')).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(await lab.host.adopt({ ruleKey: handMade.key }, 'test')).toMatchObject({ ok: false, status: 400 }); // no confirmation

    const adopted = await lab.host.adopt({ ruleKey: handMade.key, confirm: true }, 'test');
    expect(adopted).toMatchObject({ ok: true, data: { listenPort: 30060, target: { kind: 'static', ip, port: 30060 } } });
    const after = await save();
    expect(after).not.toContain('-A PREROUTING -i enp3s0 -p tcp -m tcp --dport 30060 -j DNAT');
    expect(after).not.toMatch(/-A FORWARD -d \S+ -p tcp -m tcp --dport 30060 -j ACCEPT/);
    expect(await answerFromLan(30060)).toMatchObject({ service: 'kps-grafana', node });
    expect((await hostStatus(lab.host)).handMade).toEqual([]);
    expect(await foreign()).toBe(foreignBefore);
    if (adopted.ok) await lab.host.remove(adopted.data.id, 'test');
  });
});

describe('adopting exactly what it says', () => {
  it('adopting port 80 leaves the 8080 rules alone; a rule restricted to one source is shown and needs widen', async () => {
    const dnat = (port: number, extra: string[] = []) =>
      iptables(
        '-t',
        'nat',
        '-A',
        'PREROUTING',
        ...extra,
        '-p',
        'tcp',
        '--dport',
        String(port),
        '-j',
        'DNAT',
        '--to-destination',
        `10.120.52.31:${port}`,
      );
    await dnat(80);
    await dnat(8080);
    await iptables('-A', 'FORWARD', '-p', 'tcp', '-d', '10.120.52.31', '--dport', '8080', '-j', 'ACCEPT');
    await dnat(9090, ['-s', '192.168.50.10/32']);
    try {
      const { handMade } = await hostStatus(lab.host);
      const byPort = (p: number) => {
        const h = handMade.find((x) => x.listenPort === p);
        if (!h) throw new Error(`no hand-made forward of port ${p} in ${JSON.stringify(handMade)}`);
        return h;
      };
      const [p80, p8080, p9090] = [byPort(80), byPort(8080), byPort(9090)];
      expect(p9090.restrictions).toEqual(['the DNAT rule matches only "-s 192.168.50.10/32"']);
      expect(p80.restrictions).toEqual([]);

      const before = await ruleset();
      const refused = await lab.host.adopt({ ruleKey: p9090.key, confirm: true }, 'test');
      expect(refused).toMatchObject({ ok: false, status: 409, error: expect.stringContaining('-s 192.168.50.10/32') });
      expect(await ruleset()).toBe(before);

      const adopted = await lab.host.adopt({ ruleKey: p80.key, confirm: true }, 'test');
      expect(adopted.ok).toBe(true);
      const after = await save();
      expect(after).not.toContain('-A PREROUTING -p tcp -m tcp --dport 80 -j DNAT');
      for (const line of p8080.rules) expect(after).toContain(line.line); // the 8080 forward's DNAT and its accept
      const widened = await lab.host.adopt({ ruleKey: p9090.key, confirm: true, widen: true }, 'test');
      expect(widened.ok).toBe(true);
      expect(await save()).not.toContain('-s 192.168.50.10/32 -p tcp -m tcp --dport 9090');
      for (const r of [adopted, widened]) if (r.ok) await lab.host.remove(r.data.id, 'test');
    } finally {
      await rebootFirewall(prefix); // the hand-made rules that are left
    }
  });
});
