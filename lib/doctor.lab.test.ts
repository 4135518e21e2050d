import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dockerRules, multipassDaemon, rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { iptables, kubectl, labPrefix } from '@/lab/testing.mts';
import type { Finding } from '@/lib/domain/diagnosis';
import { runDoctor } from './doctor';
import { hostService } from './host/wiring';
import { env, parseEnv } from './env';
import { HostOwnership, installId } from './host/owner';
import { db } from './store/db';

// labgate doctor against the lab, healthy and then broken on purpose, one thing at a time.
const prefix = labPrefix();
const problems = (findings: Finding[]) => findings.filter((f) => f.severity !== 'ok');
const find = (findings: Finding[], check: string) => findings.find((f) => f.check === check && f.severity !== 'ok');
const undo: (() => Promise<unknown>)[] = [];

let ownership: HostOwnership;

beforeAll(async () => {
  await rebootFirewall(prefix);
  process.env.KUBECONFIG = process.env.LABGATE_LAB_LABGATE_KUBECONFIG; // labgate's own identity, as installed
  // A healthy host has its labgate running: this process holds the host as the host role would.
  ownership = await HostOwnership.take({ runtimeDir: env().runtimeDir, dataDir: env().dataDir, installId: installId(db()) });
  return () => ownership.release();
});

afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});

describe('labgate doctor in the lab', () => {
  it('finds nothing wrong with the healthy lab, and checks every part', async () => {
    const findings = await runDoctor();
    expect(problems(findings)).toEqual([]);
    expect(findings.map((f) => f.check)).toEqual(
      expect.arrayContaining(['Kubernetes', 'Multipass', 'iptables backend', 'IP forwarding', 'Owner', 'Data directory']),
    );
    expect(findings.find((f) => f.check === 'Owner')?.message).toContain(`labgate pid ${process.pid} owns this host's firewall`);
  });

  it('ip_forward off: a failure, with the sysctl that fixes it', async () => {
    await run('sysctl', ['-qw', 'net.ipv4.ip_forward=0']);
    undo.push(() => run('sysctl', ['-qw', 'net.ipv4.ip_forward=1']));
    expect(find(await runDoctor(), 'IP forwarding')?.fix).toMatch(/^sysctl -w net\.ipv4\.ip_forward=1/);
  });

  it("Docker's FORWARD policy DROP: a warning, with the DOCKER-USER rules", async () => {
    await dockerRules(prefix, true);
    undo.push(() => dockerRules(prefix, false));
    const found = find(await runDoctor(), 'FORWARD policy');
    expect(found?.severity).toBe('warn');
    expect(found?.fix).toContain('iptables -I DOCKER-USER -i mpqemubr0 -j ACCEPT');
  });

  it('a hand-made forward: a warning whose fix removes exactly its rules', async () => {
    const rule = ['PREROUTING', '-p', 'tcp', '-m', 'tcp', '--dport', '8081', '-j', 'DNAT', '--to-destination', '10.120.52.30:8080'];
    await iptables('-t', 'nat', '-A', ...rule);
    undo.push(() => iptables('-t', 'nat', '-D', ...rule));
    const found = find(await runDoctor(), 'Hand-made forward');
    expect(found?.fix).toBe('iptables -t nat -D PREROUTING -p tcp -m tcp --dport 8081 -j DNAT --to-destination 10.120.52.30:8080');
  });

  it("labgate's FORWARD jump moved behind Multipass's REJECT: a failure, and its fix puts it back in front", async () => {
    const host = await hostService();
    const created = await host.create(
      { name: 'Jenkins', listenPort: 8080, target: { kind: 'static', ip: '10.120.52.30', port: 8080 } },
      'test',
    );
    expect(created.ok).toBe(true);
    undo.push(async () => created.ok && host.remove(created.data.id, 'test'));
    const jump = ['FORWARD', '-m', 'comment', '--comment', 'labgate', '-j', 'LABGATE-FORWARD'];
    await iptables('-D', ...jump);
    await iptables('-A', ...jump);
    const found = find(await runDoctor(), 'Rule order');
    expect(found?.severity).toBe('fail');
    await run('sh', ['-c', found!.fix!]);
    expect(find(await runDoctor(), 'Rule order')).toBeUndefined();
  });

  it('the Multipass daemon stopped: a failure, with the command that starts it', async () => {
    await multipassDaemon(prefix, 'stopped');
    undo.push(() => multipassDaemon(prefix, 'running'));
    const found = find(await runDoctor(), 'Multipass');
    expect(found?.message).toContain('not running');
    expect(found?.fix).toBe('snap start multipass');
  });

  it('one verb taken from the role: a failure naming it, fixed by applying deploy/rbac.yaml', async () => {
    const role = JSON.parse(await kubectl(['get', 'clusterrole', 'labgate', '-o', 'json'])) as {
      rules: { resources: string[]; verbs: string[] }[];
    };
    const i = role.rules.findIndex((r) => r.resources.includes('nodes'));
    const patch = (verbs: string[]) =>
      kubectl([
        'patch',
        'clusterrole',
        'labgate',
        '--type=json',
        '-p',
        JSON.stringify([{ op: 'replace', path: `/rules/${i}/verbs`, value: verbs }]),
      ]);
    await patch(role.rules[i]!.verbs.filter((v) => v !== 'patch'));
    undo.push(() => patch(role.rules[i]!.verbs));
    const found = find(await runDoctor(), 'Kubernetes permissions');
    expect(found?.message).toBe("labgate's identity needs patch on nodes.");
    expect(found?.fix).toBe('kubectl apply -f deploy/rbac.yaml');
  });

  it('says whether the admission policy is installed and bound, with the command that installs it', async () => {
    expect((await runDoctor()).find((f) => f.check === 'Admission policy')).toMatchObject({ severity: 'ok' });
    const policy = path.join(import.meta.dirname, '..', 'deploy', 'admission-policy.yaml');
    undo.push(() => kubectl(['apply', '-f', policy]));
    await kubectl(['delete', 'validatingadmissionpolicybinding', 'labgate-least-privilege']);
    expect(find(await runDoctor(), 'Admission policy')).toMatchObject({ severity: 'warn', message: expect.stringContaining('no binding') });
    await kubectl(['delete', 'validatingadmissionpolicy', 'labgate-least-privilege']);
    expect(find(await runDoctor(), 'Admission policy')).toMatchObject({
      severity: 'warn',
      fix: 'kubectl apply -f deploy/admission-policy.yaml',
    });
  });

  it('no kubeconfig: a failure that says which file', async () => {
    const settings = parseEnv({ ...process.env, KUBECONFIG: '/nonexistent/kubeconfig' });
    expect(find(await runDoctor(settings), 'Kubernetes')?.message).toContain('/nonexistent/kubeconfig');
  });
});
