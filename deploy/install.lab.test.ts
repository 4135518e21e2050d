import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, trustCa } from '@/lab/browser.mts';
import { restartCaddy } from '@/lab/caddy.mts';
import { rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { startAvahi, stopAvahi } from '@/lab/mdns.mts';
import { curlNamedFromLan, resolveFromLan } from '@/lab/mdns-client.mts';
import { LAB_MULTIPASS_PASSPHRASE } from '@/lab/multipass/model.mts';
import { labPaths, REPO } from '@/lab/paths.mts';
import { socketRequest, unreadableByOthers } from '@/lab/server.mts';
import { stopProcess } from '@/lab/processes.mts';
import { SystemContainer, type Bind } from '@/lab/system.mts';
import { issueSiteCertificate } from '@/lib/tls/certificates.mts';
import { curlFrom, eventually, labPrefix } from '@/lab/testing.mts';
import { LAN, namespaces } from '@/lab/topology.mts';

// scripts/install.sh end to end on a real Debian 12 with its own systemd as PID 1, booted by
// systemd-nspawn in the lab's host namespace (so its iptables are the lab host's): the checkout
// at /opt/labgate as docs/install.md has it, the lab's kubeconfig and Multipass command as on a
// real host; then a reboot, an upgrade and an uninstall.
const prefix = labPrefix();
const p = labPaths(prefix);
const DASHBOARD = `https://${LAN.host}:3000`;
const SOCKET = '/run/labgate/host.sock';
const FORWARDS = [
  { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 }, answers: 'Jenkins' },
  { name: 'MySQL', listenPort: 3306, target: { kind: 'static', ip: '10.120.52.30', port: 3306 }, answers: '8.0' },
];
let scratch = '';
let machine: SystemContainer;
let password = '';
// The checkout where docs/install.md puts it; the lab's shared dir where its multipass command runs from.
const binds: Bind[] = [
  { from: REPO, to: '/opt/labgate' },
  { from: p.shared, to: p.shared },
];

/** /etc/labgate/labgate.env inside the machine, as key → value. */
async function settings(): Promise<Record<string, string>> {
  const text = await machine.must('cat', ['/etc/labgate/labgate.env']);
  const pairs = text.split('\n').flatMap((line) => {
    const m = /^([A-Z_]+)=(.*)$/.exec(line);
    return m ? [[m[1]!, m[2]!] as const] : [];
  });
  return Object.fromEntries(pairs);
}

/** The host API over the host role's socket inside the machine, with the host token. */
const hostApi = async (method: string, url: string, body?: unknown) =>
  socketRequest(machine.path(SOCKET), method, url, { token: (await settings()).LABGATE_HOST_TOKEN, body });

/** Every stored forward's answer from the LAN, read once (MySQL greets first: its first bytes). */
async function forwardsAnswer(): Promise<boolean> {
  const results = await Promise.all(
    FORWARDS.map(async (f) =>
      f.listenPort === 3306
        ? (
            await run('ip', [
              'netns',
              'exec',
              namespaces(prefix).lan,
              'timeout',
              '2',
              'bash',
              '-c',
              `exec 3<>/dev/tcp/${LAN.host}/3306 && head -c 16 <&3`,
            ])
          ).stdout.includes(f.answers)
        : (await curlFrom('lan', `http://${LAN.host}:${f.listenPort}/`)).body.includes(f.answers),
    ),
  );
  return results.every(Boolean);
}

/** Jenkins's forward over HTTPS on its name, as a laptop on the LAN sees it. */
async function jenkinsOverHttps(): Promise<boolean> {
  if ((await resolveFromLan('jenkins.local')) !== LAN.host) return false;
  return (await curlNamedFromLan('https://jenkins.local/', ['--cacert', caFile()])).body.includes('Jenkins');
}

const UNITS = ['labgate-caddy', 'labgate-host', 'labgate-ui'];
const unitStates = async (query: 'is-active' | 'is-enabled') =>
  (await machine.exec('systemctl', [query, ...UNITS])).stdout.trim().split('\n');

/** Installs (or upgrades) as a user would, with the build already in the read-only checkout. */
const install = () => machine.must('/opt/labgate/scripts/install.sh', ['install', '--prebuilt']);
const caFile = () => machine.path('/var/lib/labgate-ui/tls/ca.crt');

beforeAll(async () => {
  const root = process.env.LABGATE_LAB_SYSTEM_ROOT;
  if (!root || !fs.existsSync(root))
    throw new Error('no Debian 12 root file system: run through `npm test`, which makes it (LABGATE_LAB_SYSTEM_ROOT)');
  const unreadable = unreadableByOthers();
  if (unreadable) throw new Error(`the units run as unprivileged users, but ${unreadable}`);
  await rebootFirewall(prefix);
  // The machine is the lab's host: its own avahi-daemon and labgate-caddy take the LAN's mDNS and
  // ports 80 and 443 over from the lab's, as on a real host where there is one of each.
  await stopAvahi(p, 'host');
  await stopProcess('caddy', p.pids);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-system-'));
  machine = await SystemContainer.fromRoot(root, path.join(scratch, 'root'), namespaces(prefix).host);
  // No multipass command in the machine: labgate talks to the daemon's socket (the lab's, bound in).
  await machine.boot(binds);
}, 180_000);

afterAll(async () => {
  if (machine) await machine.remove();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  await rebootFirewall(prefix);
  await startAvahi(prefix, p, 'host');
  await restartCaddy(prefix, p);
});

describe('scripts/install.sh under a real systemd', () => {
  it('installs three units that start; the laptop logs in with the password from the journal; forwards answer from lan, one on its name over HTTPS, also behind Sign in with labgate', async () => {
    // The snap's daemon socket, owned by group sudo as on a real host; and an earlier install's
    // mistake to undo: the dashboard's user in that group.
    await machine.must('sh', [
      '-c',
      "mkdir -p /var/snap/multipass/common && cd /var/snap/multipass/common && /usr/local/lib/labgate/bin/node -e \"require('net').createServer().listen('multipass_socket', () => process.exit(0))\" && chgrp sudo multipass_socket && chmod 0660 multipass_socket",
    ]);
    await machine.must('sh', [
      '-c',
      'groupadd --system labgate-ui && useradd --system --gid labgate-ui --groups sudo --no-create-home labgate-ui',
    ]);
    // docs/install.md: Debian's avahi-daemon and Caddy are installed (in the image); its own Caddy unit goes.
    await machine.must('systemctl', ['disable', '--now', 'caddy']);
    expect((await machine.exec('systemctl', ['is-active', 'avahi-daemon'])).stdout.trim()).toBe('active');
    const installed = await machine.exec('/opt/labgate/scripts/install.sh', ['install', '--prebuilt']);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stderr).toContain('taking labgate-ui out of group sudo');
    expect(installed.stderr).toContain("labgate's users stay out of that group");
    for (const user of ['labgate', 'labgate-ui']) expect((await machine.must('id', ['-nG', user])).split(/\s+/)).not.toContain('sudo');
    // docs/install.md: the cluster identity in /etc/labgate/kubeconfig, and the LAN side.
    const kubeconfig = fs.readFileSync(p.labgateKubeconfig, 'utf8');
    await machine.must(
      'sh',
      ['-c', 'cat > /etc/labgate/kubeconfig && chown root:labgate /etc/labgate/kubeconfig && chmod 0640 /etc/labgate/kubeconfig'],
      kubeconfig,
    );
    await machine.must('sh', [
      '-c',
      `printf 'LABGATE_LAN_INTERFACE=%s\\nLABGATE_MULTIPASS_SOCKET=%s\\n' '${process.env.LABGATE_LAN_INTERFACE}' '${p.multipassSocket}' >> /etc/labgate/labgate.env`,
    ]);
    // docs/install.md: Multipass accepts labgate's client certificate once, with the daemon's passphrase.
    const accepted = await machine.must(
      'sh',
      [
        '-c',
        `PATH=/usr/local/lib/labgate/bin:$PATH LABGATE_DATA_DIR=/var/lib/labgate LABGATE_MULTIPASS_SOCKET='${p.multipassSocket}' /opt/labgate/bin/labgate multipass-auth`,
      ],
      `${LAB_MULTIPASS_PASSPHRASE}\n`,
    );
    expect(accepted).toContain("accepted labgate's client certificate");
    expect((await machine.must('stat', ['-c', '%U %a', '/var/lib/labgate/multipass/client.key'])).trim()).toBe('labgate 600');
    await machine.must('systemctl', ['restart', 'labgate-host', 'labgate-ui']);
    expect(await unitStates('is-active')).toEqual(['active', 'active', 'active']);
    expect((await machine.must('stat', ['-c', '%U %G %a', SOCKET])).trim()).toBe('labgate labgate 660');

    // docs/install.md: the first start prints the generated password once, to the journal.
    password = await eventually(
      'the generated password in the journal',
      async () =>
        /generated the admin password: (\S+)/.exec(await machine.must('journalctl', ['-u', 'labgate-ui', '--no-pager', '-o', 'cat']))?.[1],
      30_000,
    );

    const home = path.join(scratch, 'browser-home');
    fs.mkdirSync(home);
    await eventually(
      'the dashboard to answer',
      async () => (await curlFrom('lan', `${DASHBOARD}/login`, ['--cacert', caFile()])).ok,
      30_000,
    );
    trustCa(home, caFile());
    const browser = await chromium.launch({
      executablePath: process.env.LABGATE_LAB_CHROMIUM,
      args: CHROMIUM_ARGS,
      env: { ...process.env, HOME: home },
    });
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${DASHBOARD}/login`);
      await page.getByLabel('Admin password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
    } finally {
      await browser.close();
    }

    // The host role reads Multipass over its socket, with the certificate it was accepted with.
    const instances = await eventually('Multipass instances from the host role', async () => {
      const res = (await hostApi('GET', '/api/host/instances')).json as { instances: { name: string; state: string }[]; error: unknown };
      return res.error === null && res.instances.length ? res : undefined;
    });
    expect(instances.instances.find((i) => i.name === 'ops')?.state).toBe('Running');
    for (const { answers: _, ...f } of FORWARDS) expect((await hostApi('POST', '/api/host/forwards', f)).code).toBe(201);
    await eventually('the forwards to answer from lan', forwardsAnswer, 10_000);

    // docs/https.md: a name on the LAN and HTTPS in front, with the machine's avahi-daemon and
    // labgate-caddy; the certificate from the dashboard's CA, as its role signs one.
    expect(await resolveFromLan('labgate.local')).toBe(LAN.host);
    const listed = (await hostApi('GET', '/api/host/forwards')).json as { id: string; name: string }[];
    const jenkins = listed.find((f) => f.name === 'Jenkins')!;
    const tls = await issueSiteCertificate(machine.path('/var/lib/labgate-ui'), 'jenkins.local');
    const named = await hostApi('PATCH', `/api/host/forwards/${jenkins.id}`, { id: jenkins.id, lanName: 'jenkins', tls });
    expect(named.code, JSON.stringify(named.json)).toBe(200);
    await eventually('https://jenkins.local/ to answer from lan', jenkinsOverHttps, 15_000);

    // Sign in with labgate, as the units run it: the sandboxed Caddy asks the sandboxed dashboard
    // over the machine's loopback, verifying it with labgate's CA, and sends a signed-out laptop there.
    const signIn = { dashboard: DASHBOARD, gate: 'https://127.0.0.1:3000', ca: fs.readFileSync(caFile(), 'utf8') };
    expect((await hostApi('PATCH', `/api/host/forwards/${jenkins.id}`, { id: jenkins.id, signIn })).code).toBe(200);
    const gated = await curlNamedFromLan('https://jenkins.local/job/x', [
      '--cacert',
      caFile(),
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{redirect_url}',
    ]);
    expect(gated.body).toBe(`302 ${DASHBOARD}/open?name=jenkins.local&next=%2Fjob%2Fx`);
    expect((await hostApi('PATCH', `/api/host/forwards/${jenkins.id}`, { id: jenkins.id, signIn: null })).code).toBe(200);
    await eventually('https://jenkins.local/ to answer without a sign-in again', jenkinsOverHttps, 15_000);
  }, 180_000);

  it('after a reboot (tables flushed) the units start by themselves, every forward answers before the first page load completes, and the name and HTTPS come back', async () => {
    await machine.poweroff();
    await rebootFirewall(prefix);
    expect((await run('iptables-save', [])).stdout).not.toContain('LABGATE');
    await machine.start(binds);
    const startedAt = Date.now();
    // The first page load that completes, from the laptop; at that moment every forward must already answer.
    await eventually(
      "the dashboard's first page load",
      async () => fs.existsSync(caFile()) && (await curlFrom('lan', `${DASHBOARD}/login`, ['--cacert', caFile(), '--fail'])).ok,
      90_000,
    );
    const pageAt = Date.now();
    expect(await forwardsAnswer()).toBe(true);
    await eventually('https://jenkins.local/ to answer again', jenkinsOverHttps, 30_000);
    console.log(
      `reboot: the container's systemd started → first dashboard page ${((pageAt - startedAt) / 1000).toFixed(1)} s, every forward answering by then`,
    );
    expect(await unitStates('is-enabled')).toEqual(['enabled', 'enabled', 'enabled']);
  }, 180_000);

  it('an upgrade (install.sh again) keeps the forwards and the password', async () => {
    await install();
    expect(await unitStates('is-active')).toEqual(['active', 'active', 'active']);
    const listed = (await hostApi('GET', '/api/host/forwards')).json as { name: string }[];
    expect(listed.map((f) => f.name).sort()).toEqual(FORWARDS.map((f) => f.name).sort());
    await eventually(
      'the dashboard after the upgrade',
      async () => (await curlFrom('lan', `${DASHBOARD}/login`, ['--cacert', caFile(), '--fail'])).ok,
      30_000,
    );
    const login = await curlFrom('lan', `${DASHBOARD}/api/auth/login`, [
      '--cacert',
      caFile(),
      '--fail',
      '-H',
      'content-type: application/json',
      '-H',
      `origin: ${DASHBOARD}`,
      '-d',
      JSON.stringify({ password }),
    ]);
    expect(login.ok).toBe(true);
    await eventually('the forwards to answer after the upgrade', forwardsAnswer, 10_000);
    await eventually('https://jenkins.local/ to answer after the upgrade', jenkinsOverHttps, 30_000);
  }, 180_000);

  it('uninstall leaves no labgate rule, unit, user or file', async () => {
    await machine.must('/opt/labgate/scripts/install.sh', ['uninstall']);
    expect((await run('iptables-save', [])).stdout).not.toMatch(/labgate|LABGATE/);
    expect(await forwardsAnswer()).toBe(false);
    await eventually('jenkins.local to leave the LAN', async () => (await resolveFromLan('jenkins.local')) === null, 15_000);
    expect((await machine.exec('systemctl', ['list-unit-files', 'labgate*', '--no-legend'])).stdout.trim()).toBe('');
    expect((await machine.exec('getent', ['passwd', 'labgate', 'labgate-ui', 'labgate-caddy'])).stdout).toBe('');
    expect((await machine.exec('getent', ['group', 'labgate', 'labgate-ui', 'labgate-caddy'])).stdout).toBe('');
    const left = await machine.must('find', [
      '/',
      '-xdev',
      '(',
      '-path',
      '/opt/labgate',
      '-o',
      '-path',
      p.shared,
      '-o',
      '-path',
      '/proc',
      ')',
      '-prune',
      '-o',
      '-name',
      '*labgate*',
      '-print',
    ]);
    expect(
      left
        .trim()
        .split('\n')
        .filter((l) => l && l !== p.shared && l !== path.dirname(p.shared) && l !== '/opt/labgate'),
    ).toEqual([]);
  }, 180_000);
});
