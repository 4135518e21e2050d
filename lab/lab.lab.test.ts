import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfoOutput, ListOutput } from './multipass/schema.mts';
import {
  apiserver,
  dockerRules,
  movePod,
  multipassDaemon,
  rebootFirewall,
  setInstanceAddress,
  setMultipassFormat,
  grafanaNodePortArgs,
} from './controls.mts';
import { run } from './exec.mts';
import { labPaths } from './paths.mts';
import { curlFrom, eventually, iptables, kubectl, kubectlJson, labPrefix } from './testing.mts';
import { APISERVER_ADDRESS, BRIDGE, LAN, VMS } from './topology.mts';
import { backToClusterIpArgs } from '@/lab/service-args.mts';

const prefix = labPrefix();
const p = labPaths(prefix);
const multipass = (...args: string[]) => run(path.join(p.bin, 'multipass'), args);
const save = async (table: string) => (await run('iptables-save', ['-t', table])).stdout;
const rules = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('-A '))
    .sort();

describe('network', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_q, r) => r.end('host answers'));
    await new Promise<void>((r) => server.listen(0, '0.0.0.0', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it('lan reaches the host on its LAN address', async () => {
    expect(await curlFrom('lan', `http://${LAN.host}:${port}/`)).toEqual({ ok: true, body: 'host answers' });
  });

  it.each(VMS.map((v) => v.name))('%s reaches the host on the bridge', async (vm) => {
    expect((await curlFrom(vm, `http://${BRIDGE.address}:${port}/`)).body).toBe('host answers');
  });

  it('the host reaches each VM', async () => {
    for (const node of ['10.120.52.23', '10.120.52.24', '10.120.52.25']) {
      expect(JSON.parse((await curlFrom('host', `http://${node}:30080/`)).body)).toMatchObject({ service: 'whoami', nodePort: 30080 });
    }
    expect((await curlFrom('host', 'http://10.120.52.31:8080/')).body).toContain('Jenkins');
    const mysql = await run('curl', ['-sS', '--max-time', '2', 'telnet://10.120.52.30:3306'], {});
    expect(mysql.stdout).toContain('8.0.40');
  });

  it('forwarding is on in the host only', async () => {
    expect((await run('sysctl', ['-n', 'net.ipv4.ip_forward'])).stdout.trim()).toBe('1');
    const lan = await run('ip', ['netns', 'exec', `${prefix}lan`, 'sysctl', '-n', 'net.ipv4.ip_forward']);
    expect(lan.stdout.trim()).toBe('0');
  });
});

describe('control plane', () => {
  it('the apiserver answers /readyz on node1 with the lab CA', async () => {
    const res = await run('curl', ['-sS', '--cacert', path.join(p.pki, 'ca.crt'), `https://${APISERVER_ADDRESS}:6443/readyz`]);
    expect(res.stdout).toBe('ok');
  });

  it('KWOK keeps node1-3 Ready with their lab addresses and pod CIDRs', async () => {
    const nodes = await kubectlJson<{
      items: {
        metadata: { name: string; labels: Record<string, string> };
        spec: { podCIDR: string; taints?: unknown[] };
        status: { addresses: { type: string; address: string }[]; conditions: { type: string; status: string }[] };
      }[];
    }>(['get', 'nodes', '-l', '!labgate.lab/scale']);
    expect(
      nodes.items.map((n) => [
        n.metadata.name,
        n.status.addresses.find((a) => a.type === 'InternalIP')?.address,
        n.spec.podCIDR,
        n.status.conditions.find((c) => c.type === 'Ready')?.status,
      ]),
    ).toEqual([
      ['node1', '10.120.52.23', '10.244.0.0/24', 'True'],
      ['node2', '10.120.52.24', '10.244.1.0/24', 'True'],
      ['node3', '10.120.52.25', '10.244.2.0/24', 'True'],
    ]);
    expect(nodes.items[0]!.metadata.labels).toHaveProperty('node-role.kubernetes.io/control-plane');
    expect(nodes.items[0]!.spec.taints ?? []).toEqual([]);
  });

  it('the real scheduler places a pod on the node its nodeSelector matches, and KWOK runs it', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'pinned-probe', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'pinned-probe' } },
        template: {
          metadata: { labels: { app: 'pinned-probe' } },
          spec: { nodeSelector: { 'kubernetes.io/hostname': 'node3' }, containers: [{ name: 'c', image: 'probe:1' }] },
        },
      },
    };
    await kubectl(['apply', '-f', '-'], JSON.stringify(deployment));
    try {
      const pod = await eventually('the probe pod to run', async () => {
        const pods = await kubectlJson<{ items: { spec: { nodeName?: string }; status: { phase?: string; podIP?: string } }[] }>([
          'get',
          'pods',
          '-n',
          'default',
          '-l',
          'app=pinned-probe',
        ]);
        return pods.items.find((x) => x.status.phase === 'Running');
      });
      expect(pod.spec.nodeName).toBe('node3');
      expect(pod.status.podIP).toMatch(/^10\.244\.2\./);
    } finally {
      await kubectl(['delete', 'deployment', '-n', 'default', 'pinned-probe']);
    }
  });

  it("labgate's ServiceAccount can read what the role grants and nothing more", async () => {
    const as = (args: string[]) => run(process.env.LABGATE_LAB_KUBECTL!, [`--kubeconfig=${p.labgateKubeconfig}`, ...args]);
    expect((await as(['get', 'nodes'])).code).toBe(0);
    expect((await as(['get', 'services', '-A'])).code).toBe(0);
    const denied = await as(['get', 'secrets', '-A']);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/forbidden/i);
  });
});

describe("the reference lab's manual method, end to end", () => {
  it('a Service switched to NodePort answers from lan through a DNAT rule added by hand', async () => {
    await kubectl(grafanaNodePortArgs(true));
    const pods = await kubectlJson<{ items: { spec: { nodeName: string } }[] }>([
      'get',
      'pods',
      '-n',
      'monitoring',
      '-l',
      'app.kubernetes.io/name=grafana',
    ]);
    const node = pods.items[0]!.spec.nodeName;
    const nodeIp = VMS.find((v) => v.name === node)!.address;
    const dnat = [
      '-t',
      'nat',
      'PREROUTING',
      '-i',
      LAN.hostInterface,
      '-p',
      'tcp',
      '--dport',
      '30060',
      '-j',
      'DNAT',
      '--to-destination',
      `${nodeIp}:30060`,
    ];
    const accept = ['FORWARD', '-p', 'tcp', '-d', nodeIp, '--dport', '30060', '-j', 'ACCEPT'];
    const insert = (r: string[]) => (r[0] === '-t' ? [...r.slice(0, 2), '-I', ...r.slice(2)] : ['-I', r[0]!, '1', ...r.slice(1)]);
    const remove = (r: string[]) => (r[0] === '-t' ? [...r.slice(0, 2), '-D', ...r.slice(2)] : ['-D', ...r]);
    try {
      expect((await iptables(...insert(dnat))).code).toBe(0);
      expect((await iptables(...insert(accept))).code).toBe(0);
      const body = await eventually('the LAN URL to answer', async () => {
        const res = await curlFrom('lan', `http://${LAN.host}:30060/`);
        return res.ok && res.body;
      });
      expect(JSON.parse(body)).toEqual({ service: 'kps-grafana', namespace: 'monitoring', node, nodePort: 30060 });
    } finally {
      await iptables(...remove(dnat));
      await iptables(...remove(accept));
      await kubectl(grafanaNodePortArgs(false));
    }
  });
});

describe('the Multipass stand-in', () => {
  it.each(['release', 'zones'] as const)('answers in the %s format with what the schema of the fixtures accepts', async (format) => {
    setMultipassFormat(prefix, format);
    try {
      const list = ListOutput.parse(JSON.parse((await multipass('list', '--format', 'json')).stdout));
      expect(list.list.map((i) => i.name).sort()).toEqual(['nfs', 'node1', 'node2', 'node3', 'ops', 'scratch']);
      expect(list.list.every((i) => (format === 'zones') === (i.zone !== undefined))).toBe(true);
      const info = InfoOutput.parse(JSON.parse((await multipass('info', '--format', 'json')).stdout));
      expect(info.info.scratch?.ipv4).toEqual([]);
    } finally {
      setMultipassFormat(prefix, 'release');
    }
  });

  it('an unknown instance gets the real message and exit code', async () => {
    expect(await multipass('info', 'nosuch', '--format', 'json')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'info failed: instance "nosuch" does not exist\n',
    });
  });

  it('stopping the daemon answers like the real CLI and removes its rules, and anything naming its subnet', async () => {
    const mine = ['-t', 'nat', '-A', 'POSTROUTING', '-s', '10.120.52.0/24', '-d', '192.168.50.0/24', '-j', 'RETURN'];
    const unrelated = ['-t', 'filter', '-A', 'INPUT', '-i', 'lo', '-j', 'ACCEPT'];
    await iptables(...mine);
    await iptables(...unrelated);
    try {
      await multipassDaemon(prefix, 'stopped');
      expect(await multipass('list', '--format', 'json')).toEqual({
        code: 2,
        stdout: '',
        stderr: 'list failed: cannot connect to the multipass socket\n',
      });
      const all = (await save('filter')) + (await save('nat')) + (await save('mangle'));
      expect(all).not.toContain('Multipass');
      expect(all).not.toContain('10.120.52.0/24');
      expect(all).toContain('-A INPUT -i lo -j ACCEPT');
      await multipassDaemon(prefix, 'running');
      expect((await multipass('list', '--format', 'json')).code).toBe(0);
      expect(rules(await save('filter')).filter((l) => l.includes('Multipass'))).toHaveLength(11);
    } finally {
      await iptables('-t', 'filter', '-D', 'INPUT', '-i', 'lo', '-j', 'ACCEPT');
    }
  });

  it("puts exactly multipassd's rules on the host (the derived fixture)", async () => {
    const fixture = fs.readFileSync(path.join(__dirname, 'fixtures', 'iptables', 'multipass-qemu-rules.txt'), 'utf8');
    const have = [...rules(await save('filter')), ...rules(await save('nat')), ...rules(await save('mangle'))]
      .filter((l) => l.includes('Multipass'))
      .sort();
    expect(have).toEqual(rules(fixture));
  });
});

describe('controls', () => {
  it('reboot empties nat and filter and the daemons put their rules back', async () => {
    await iptables('-t', 'nat', '-N', 'SOMEONE-ELSE');
    await rebootFirewall(prefix);
    const nat = await save('nat');
    expect(nat).not.toContain('SOMEONE-ELSE');
    expect(rules(nat)).toHaveLength(5);
    expect(rules(await save('filter'))).toHaveLength(11);
  });

  it('adds and removes a Docker-style rule set, and a reboot keeps it while it is on', async () => {
    await dockerRules(prefix, true);
    try {
      const filter = await save('filter');
      expect(filter).toContain(':FORWARD DROP');
      expect(filter.indexOf('-A FORWARD -j DOCKER-USER')).toBeLessThan(filter.indexOf('-A FORWARD -j DOCKER-FORWARD'));
      await rebootFirewall(prefix);
      expect(await save('filter')).toContain(':FORWARD DROP');
    } finally {
      await dockerRules(prefix, false);
    }
    const filter = await save('filter');
    expect(filter).toContain(':FORWARD ACCEPT');
    expect(filter).not.toContain('DOCKER');
  });

  it('moves the Grafana pod to another node through the real API', async () => {
    const moved = await movePod(prefix, { namespace: 'monitoring', selector: 'app.kubernetes.io/name=grafana' });
    expect(moved.to).not.toBe(moved.from);
    const nodes = await kubectlJson<{ items: { metadata: { name: string }; spec: { unschedulable?: boolean } }[] }>(['get', 'nodes']);
    expect(nodes.items.every((n) => !n.spec.unschedulable)).toBe(true);
  });

  it('gives an instance a new address, and Multipass reports it', async () => {
    await setInstanceAddress(prefix, 'ops', '10.120.52.41');
    try {
      expect((await curlFrom('host', 'http://10.120.52.41:8080/')).body).toContain('Jenkins');
      const list = ListOutput.parse(JSON.parse((await multipass('list', '--format', 'json')).stdout));
      expect(list.list.find((i) => i.name === 'ops')?.ipv4).toEqual(['10.120.52.41']);
    } finally {
      await setInstanceAddress(prefix, 'ops', '10.120.52.31');
    }
    await expect(setInstanceAddress(prefix, 'ops', '192.168.1.5')).rejects.toThrow(/not a host address/);
  });

  it('stops and starts the apiserver, and the node responders follow changes made after it', async () => {
    const ready = () =>
      run('curl', ['-sS', '--max-time', '2', '--cacert', path.join(p.pki, 'ca.crt'), `https://${APISERVER_ADDRESS}:6443/readyz`]);
    await apiserver(prefix, 'stopped');
    expect((await ready()).code).not.toBe(0);
    await apiserver(prefix, 'running');
    expect((await ready()).stdout).toBe('ok');
    await kubectl(['patch', 'service', '-n', 'default', 'redis', '--type=merge', '-p', JSON.stringify({ spec: { type: 'NodePort' } })]);
    try {
      const svc = await kubectlJson<{ spec: { ports: { nodePort: number }[] } }>(['get', 'service', '-n', 'default', 'redis']);
      const port = svc.spec.ports[0]!.nodePort;
      const body = await eventually(
        'node2 to answer on the new NodePort',
        async () => (await curlFrom('host', `http://10.120.52.24:${port}/`)).body,
      );
      expect(JSON.parse(body)).toMatchObject({ service: 'redis', node: 'node2', nodePort: port });
    } finally {
      await kubectl(backToClusterIpArgs('default', 'redis'));
    }
  });
});
