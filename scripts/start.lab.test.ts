import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { hostApi, startServer as startProductionServer, unreadableByOthers, type StartedServer } from '@/lab/server.mts';
import { asUser } from '@/lab/setpriv.mts';
import { curlFrom, eventually, labPrefix } from '@/lab/testing.mts';
import { LAN } from '@/lab/topology.mts';

// The production server (`npm start` on the standalone build) as the systemd units run it.
const NOBODY = 65534;
const UNIT_CAPS = ['net_admin', 'net_raw']; // deploy/systemd/labgate-host.service
const token = randomBytes(24).toString('base64url');
const started: StartedServer[] = [];
let scratch = '';
let node = '';

/** A dir the unprivileged user can read, with a copy of node (a home dir it could not enter). */
beforeAll(async () => {
  const unreadable = unreadableByOthers();
  if (unreadable) throw new Error(`these tests run the server as user nobody, but ${unreadable}`);
  await rebootFirewall(labPrefix());
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-prod-'));
  fs.chmodSync(scratch, 0o755);
  node = path.join(scratch, 'node');
  fs.copyFileSync(process.execPath, node);
  fs.chmodSync(node, 0o755);
  const kubeconfig = path.join(scratch, 'kubeconfig');
  fs.copyFileSync(process.env.LABGATE_LAB_LABGATE_KUBECONFIG!, kubeconfig);
  fs.chownSync(kubeconfig, NOBODY, NOBODY);
  return () => fs.rmSync(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop('SIGKILL')));
  await rebootFirewall(labPrefix()); // whatever a failed test left in the kernel
});

function dataDir(owner: number): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'data-'));
  fs.chownSync(dir, owner, owner);
  return dir;
}

/** The production server, killed after each test. */
async function startServer(env: Record<string, string>, setpriv: string[] | null, scheme: 'http' | 'https' = 'http') {
  const server = await startProductionServer({ env: { KUBECONFIG: path.join(scratch, 'kubeconfig'), ...env }, node, setpriv, scheme });
  started.push(server);
  return server;
}

const api = (base: string, method: string, url: string, body?: unknown) => hostApi(base, token, method, url, body);

/** Logs in at a server on loopback (plain HTTP: the plain cookie name) and returns its Cookie header value. */
async function loginCookie(base: string, password: string): Promise<string> {
  const login = await run('curl', [
    '-s',
    '-D',
    '-',
    '-o',
    '/dev/null',
    '-H',
    'content-type: application/json',
    '-H',
    `origin: ${base}`,
    '-d',
    JSON.stringify({ password }),
    `${base}/api/auth/login`,
  ]);
  const cookie = /set-cookie: (labgate_session=[^;]+)/i.exec(login.stdout)?.[1];
  if (!cookie) throw new Error(`no session cookie from ${base}: ${login.stdout}`);
  return cookie;
}

const jenkins = { name: 'Jenkins', listenPort: 8080, target: { kind: 'static', ip: '10.120.52.31', port: 8080 } }; // ops, where Jenkins answers
/** setpriv's arguments for user nobody holding exactly these capabilities (none: no capability at all). */
const asNobody = (caps: string[]) => asUser(NOBODY, NOBODY, [], caps);

describe('a bad setting', () => {
  it.each<{ name: string; env: Record<string, string>; message: string }>([
    { name: 'a short host token', env: { LABGATE_HOST_TOKEN: 'short' }, message: 'LABGATE_HOST_TOKEN must have at least 24 characters' },
    { name: 'an unknown role', env: { LABGATE_ROLE: 'admin' }, message: 'LABGATE_ROLE' },
  ])('($name) stops the server with its message instead of serving errors', async ({ env, message }) => {
    const started = startServer({ LABGATE_DATA_DIR: dataDir(0), LABGATE_HOST_TOKEN: token, ...env }, null);
    await expect(started).rejects.toThrow(/the server exited \(1\)/);
    await expect(started).rejects.toThrow(message);
  });
});

describe("the host role with exactly the unit's privileges", () => {
  it('runs as an unprivileged user holding only CAP_NET_ADMIN and CAP_NET_RAW, and applies a forward the LAN can use', async () => {
    const { base, child } = await startServer(
      { LABGATE_ROLE: 'host', LABGATE_DATA_DIR: dataDir(NOBODY), LABGATE_HOST_TOKEN: token },
      asNobody(UNIT_CAPS),
    );
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(NOBODY));
    expect(/^CapEff:\s+(\w+)/m.exec(status)?.[1]).toBe('0000000000003000'); // bits 12 and 13: NET_ADMIN, NET_RAW
    const created = await api(base, 'POST', '/api/host/forwards', jenkins);
    expect(created.status).toBe(201);
    expect((await run('iptables-save', ['-t', 'nat'])).stdout).toContain(`labgate:${String(created.json.id)}`);
    expect((await curlFrom('lan', `http://${LAN.host}:8080/`)).body).toContain('Jenkins');
    expect((await api(base, 'DELETE', `/api/host/forwards/${String(created.json.id)}`)).status).toBe(200);
  });

  it('without CAP_NET_ADMIN refuses the forward with an error naming the capability, and stores nothing', async () => {
    const { base } = await startServer(
      { LABGATE_ROLE: 'host', LABGATE_DATA_DIR: dataDir(NOBODY), LABGATE_HOST_TOKEN: token },
      asNobody(['net_raw']),
    );
    const refused = await api(base, 'POST', '/api/host/forwards', jenkins);
    expect(refused.status).toBe(502);
    expect(String(refused.json.error)).toContain('CAP_NET_ADMIN');
    expect((await api(base, 'GET', '/api/host/forwards')).json).toEqual([]);
    expect((await run('iptables-save', ['-t', 'nat'])).stdout).not.toContain('labgate:');
  });
});

describe('the host role is an API, not a second dashboard', () => {
  it('serves its host API, health and metrics only: no page, no login, no admin password made or printed', async () => {
    const host = await startServer(
      { LABGATE_ROLE: 'host', LABGATE_DATA_DIR: dataDir(NOBODY), LABGATE_HOST_TOKEN: token },
      asNobody(UNIT_CAPS),
    );
    for (const [method, url] of [
      ['GET', '/'],
      ['GET', '/login'],
      ['GET', '/forwards'],
      ['POST', '/api/auth/login'],
      ['GET', '/api/state/overview'],
    ] as const) {
      const res = await fetch(`${host.base}${url}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify({ password: 'x'.repeat(12) }) : undefined,
        redirect: 'manual',
      });
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    expect((await fetch(`${host.base}/api/healthz`)).status).toBe(200);
    expect((await api(host.base, 'GET', '/api/host/forwards')).status).toBe(200);
    expect((await fetch(`${host.base}/api/host/forwards`)).status).toBe(401); // a session cookie would not open it either: there is no login
    expect(host.output()).not.toMatch(/password/i);
  });
});

describe('the two roles as the units run them', () => {
  it('the ui role reaches the host role over HTTP with the host token: its health, and its metrics relayed', async () => {
    const metricsToken = randomBytes(24).toString('base64url');
    const password = randomBytes(12).toString('base64url');
    const host = await startServer(
      { LABGATE_ROLE: 'host', LABGATE_DATA_DIR: dataDir(NOBODY), LABGATE_HOST_TOKEN: token, LABGATE_METRICS_TOKEN: metricsToken },
      asNobody(UNIT_CAPS),
    );
    const ui = await startServer(
      {
        LABGATE_ROLE: 'ui',
        LABGATE_DATA_DIR: dataDir(NOBODY),
        LABGATE_HOST_TOKEN: token,
        LABGATE_METRICS_TOKEN: metricsToken,
        LABGATE_HOST_URL: host.base,
        LABGATE_ADMIN_PASSWORD: password,
      },
      asNobody([]),
    );
    expect(/^CapEff:\s+(\w+)/m.exec(fs.readFileSync(`/proc/${ui.child.pid}/status`, 'utf8'))?.[1]).toBe('0000000000000000');
    expect((await api(ui.base, 'GET', '/api/host/forwards')).status).toBe(404); // the ui role has no host API

    const created = await api(host.base, 'POST', '/api/host/forwards', jenkins);
    expect(created.status).toBe(201);
    const relayed = await fetch(`${ui.base}/metrics/host`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(relayed.status).toBe(200);
    expect(await relayed.text()).toMatch(/^labgate_forwards\{status="applied"\} 1$/m);

    const cookie = await loginCookie(ui.base, password);
    const overview = (await (await fetch(`${ui.base}/api/state/overview`, { headers: { cookie: cookie } })).json()) as {
      health: { firewall: { ok: boolean } };
    };
    expect(overview.health.firewall).toEqual({ ok: true, message: null });

    // A change made in the host role reaches the ui role's live stream, as in role all.
    const events = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${ui.base}/api/state/events`, { headers: { cookie: cookie } }, resolve).on('error', reject),
    );
    let text = '';
    events.on('data', (d: Buffer) => (text += d.toString()));
    const changes = () => text.split('event: change').length - 1;
    await eventually('the ui stream to be quiet for a second', async () => {
      const before = changes();
      await new Promise((r) => setTimeout(r, 1_000));
      return changes() === before;
    });
    const seen = changes();
    const started = Date.now();
    expect((await api(host.base, 'POST', '/api/host/forwards', { ...jenkins, name: 'Jenkins 2', listenPort: 8081 })).status).toBe(201);
    await eventually('the change on the ui stream', async () => changes() > seen, 2_000);
    console.log(`host change → ui stream: ${Date.now() - started} ms`);
    events.destroy();
  });
});

describe("the two roles over the host role's unix socket, as the units run them", () => {
  it('the ui role reaches the host role only through a socket the two may open (0660); the host listens on no TCP port', async () => {
    const password = randomBytes(12).toString('base64url');
    const socket = path.join(scratch, 'run', 'host.sock');
    fs.mkdirSync(path.dirname(socket), { mode: 0o750 });
    fs.chownSync(path.dirname(socket), NOBODY, NOBODY);
    const host = await startServer(
      { LABGATE_ROLE: 'host', LABGATE_DATA_DIR: dataDir(NOBODY), LABGATE_HOST_TOKEN: token, LABGATE_SOCKET: socket },
      asNobody(UNIT_CAPS),
    );
    expect(fs.statSync(socket).mode & 0o777).toBe(0o660);
    expect((await run('ss', ['-Hltnp'])).stdout).not.toContain(`pid=${host.child.pid},`);
    const ui = await startServer(
      {
        LABGATE_ROLE: 'ui',
        LABGATE_DATA_DIR: dataDir(NOBODY),
        LABGATE_HOST_TOKEN: token,
        LABGATE_HOST_URL: `unix:${socket}`,
        LABGATE_ADMIN_PASSWORD: password,
      },
      asNobody([]),
    );
    const cookie = await loginCookie(ui.base, password);
    const firewall = await fetch(`${ui.base}/api/state/firewall`, { headers: { cookie: cookie } });
    expect(firewall.status).toBe(200);
    expect(await firewall.json()).toMatchObject({ backend: 'nft', inSync: true });
    const withoutToken = await run('curl', [
      '-s',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code}',
      '--unix-socket',
      socket,
      'http://localhost/api/host/forwards',
    ]);
    expect(withoutToken.stdout).toBe('401'); // the socket's mode is one lock; the token is still the other
  });
});

describe('a restart after a reboot, in role all', () => {
  it('every stored forward answers from lan again, soon after the server listens', async () => {
    const dir = dataDir(0);
    const env = { LABGATE_DATA_DIR: dir, LABGATE_HOST_TOKEN: token, LABGATE_ADMIN_PASSWORD: randomBytes(12).toString('base64url') };
    const first = await startServer(env, null);
    const forwards = [
      jenkins,
      { name: 'MySQL', listenPort: 3306, target: { kind: 'static', ip: '10.120.52.30', port: 3306 } },
      { name: 'whoami', listenPort: 30080, target: { kind: 'static', ip: '10.120.52.23', port: 30080 } }, // a NodePort the node answers on
    ];
    for (const f of forwards) expect((await api(first.base, 'POST', '/api/host/forwards', f)).status).toBe(201);
    await first.stop();
    await rebootFirewall(labPrefix()); // every table flushed, labgate's chains gone; the daemons' rules back
    expect((await run('iptables-save', [])).stdout).not.toContain('LABGATE');

    const second = await startServer(env, null); // resolves once /api/healthz answers
    const listening = Date.now();
    const answers = async () =>
      (await Promise.all([`http://${LAN.host}:8080/`, `http://${LAN.host}:30080/`].map((u) => curlFrom('lan', u)))).every((r) => r.ok) &&
      // MySQL greets first: read its first bytes (curl's telnet would wait for the close).
      (
        await run('ip', [
          'netns',
          'exec',
          `${labPrefix()}lan`,
          'timeout',
          '2',
          'bash',
          '-c',
          `exec 3<>/dev/tcp/${LAN.host}/3306 && head -c 16 <&3`,
        ])
      ).stdout.includes('8.0');
    await eventually('every stored forward to answer from lan', answers, 10_000);
    const seconds = (Date.now() - listening) / 1000;
    console.log(`restart after a reboot: all ${forwards.length} forwards answering ${seconds.toFixed(2)} s after the server answered`);
    await second.stop();
  });
});

describe('HTTPS', () => {
  it('serves over TLS from LABGATE_TLS_CERT and LABGATE_TLS_KEY, and the session cookie is Secure', async () => {
    const [cert, key] = [path.join(scratch, 'tls.crt'), path.join(scratch, 'tls.key')];
    const made = await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=labgate',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.code).toBe(0);
    const password = randomBytes(12).toString('base64url');
    const { base } = await startServer(
      { LABGATE_DATA_DIR: dataDir(0), LABGATE_ADMIN_PASSWORD: password, LABGATE_TLS_CERT: cert, LABGATE_TLS_KEY: key },
      null,
      'https',
    );
    const login = await run('curl', [
      '-ks',
      '-D',
      '-',
      '-o',
      '/dev/null',
      '-H',
      'content-type: application/json',
      '-H',
      `origin: ${base}`,
      '-d',
      JSON.stringify({ password }),
      `${base}/api/auth/login`,
    ]);
    const cookie = login.stdout.split('\r\n').find((h) => /^set-cookie: __Host-labgate_session=/i.test(h));
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect((await run('curl', ['-s', '--max-time', '2', `${base.replace('https', 'http')}/api/healthz`])).code).not.toBe(0); // no plain HTTP on that port
  });
});
