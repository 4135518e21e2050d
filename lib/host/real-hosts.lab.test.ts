import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { grafanaNodePortArgs, rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { NamespaceFirewall } from '@/lab/firewall.mts';
import { REPO } from '@/lab/paths.mts';
import { curlFrom, kubectl, labPrefix } from '@/lab/testing.mts';
import { BRIDGE, LAN, namespaces } from '@/lab/topology.mts';
import { planExposeService } from '@/lib/expose/plan';
import { applyExpose, undoExpose } from '@/lib/expose/steps';
import { Reconciler } from './reconciler';
import { hostService } from './wiring';

// The rule sets of real hosts (lab/fixtures/iptables, whole iptables-save dumps nobody here wrote),
// loaded into the lab host's kernel before labgate starts. No name needed adapting: a rule naming
// an interface the lab lacks (docker0, tailscale0, virbr0) loads and simply never matches.
const HOSTS = [
  'docker28-forward-chains-nft.txt', // Docker 28: FORWARD policy DROP, DOCKER-FORWARD, raw DROPs, tailscale
  'kubeadm-flannel-node-nft.txt', // a kubeadm node: kube-proxy's KUBE-* chains and flannel's
  'firewalld-libvirt-counters-fedora27.txt', // firewalld's zones and libvirt's virbr0 rules, with counters
  'docker-isolation-tailscale-nft.txt', // Docker before 28 with isolation stages, tailscale, hand-made rules
];
const prefix = labPrefix();
const EMPTY_MANGLE_RAW = [
  '*mangle',
  ':PREROUTING ACCEPT [0:0]',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':POSTROUTING ACCEPT [0:0]',
  'COMMIT',
  '*raw',
  ':PREROUTING ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  'COMMIT',
  '',
].join('\n');

/** Every chain and rule that is not labgate's, as iptables-save prints it, without the counters that traffic moves. */
const foreign = async () =>
  (await run('iptables-save', [])).stdout
    .split('\n')
    .filter((l) => !l.startsWith('#') && !/LABGATE|labgate/.test(l))
    .map((l) => l.replace(/^(:\S+ \S+) \[\d+:\d+\]$/, '$1'))
    .join('\n');

async function loadHost(file: string): Promise<void> {
  const dump = fs.readFileSync(path.join(REPO, 'lab', 'fixtures', 'iptables', file), 'utf8');
  const loaded = await run('iptables-restore', ['-w', '5'], { input: dump });
  if (loaded.code !== 0) throw new Error(`${file} did not load: ${loaded.stderr}`);
  // As on that host once multipassd has started: its rules for its bridge, among the others.
  await new NamespaceFirewall(namespaces(prefix).host).applyMultipassRules(BRIDGE.name, BRIDGE.cidr);
}

afterEach(async () => {
  await run('iptables-restore', ['-w', '5', '--noflush'], { input: EMPTY_MANGLE_RAW });
  await rebootFirewall(prefix); // the lab's own rule set again
});

afterAll(() => kubectl(grafanaNodePortArgs(false)).catch(() => undefined));

describe("labgate on real hosts' rule sets", () => {
  it.each(HOSTS)(
    "%s: Expose Grafana and a forward to ops:8080 answer from lan; every rule not labgate's is byte-identical before, during and after",
    async (file) => {
      await loadHost(file);
      const before = await foreign();
      expect(before).toContain(file.startsWith('kubeadm') ? 'KUBE-SERVICES' : file.startsWith('firewalld') ? 'FORWARD_IN_ZONES' : 'DOCKER');
      const host = await hostService();
      const reconciler = new Reconciler(host);
      await reconciler.start();
      try {
        const plan = await planExposeService('monitoring', 'kps-grafana');
        if (!plan.ok) throw new Error(plan.error);
        const exposed = await applyExpose(plan.data, 'test');
        if (!exposed.ok) throw new Error(exposed.error);
        const jenkins = await host.create(
          { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } },
          'test',
        );
        if (!jenkins.ok) throw new Error(jenkins.error);

        expect((await curlFrom('lan', exposed.data.url)).body).toContain('kps-grafana');
        expect((await curlFrom('lan', `http://${LAN.host}:8080/`)).body).toContain('Jenkins');
        expect(await foreign()).toBe(before);

        expect((await undoExpose(exposed.data.id, 'test')).ok).toBe(true);
        expect((await host.remove(jenkins.data.id, 'test')).ok).toBe(true);
        expect(await foreign()).toBe(before);
      } finally {
        reconciler.stop();
        for (const f of host.list()) await host.remove(f.id, 'test');
      }
    },
    60_000,
  );
});
