import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { actionRequest, discoverServerActions } from '@/lab/actions.mts';
import { grafanaNodePortArgs, rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { REPO } from '@/lab/paths.mts';
import { runtimeEnv } from '@/lab/runtime-env.mts';
import { startServer, type StartedServer } from '@/lab/server.mts';
import { eventually, kubectl, labPrefix } from '@/lab/testing.mts';

// Expose and Undo killed with SIGKILL at every step boundary, in the real server (a test-only
// hook pauses it there), then the server started again: the exposure is whole or gone.
const token = randomBytes(24).toString('base64url');
const password = randomBytes(12).toString('base64url');
const actions = discoverServerActions(REPO);
const action = (name: string) => actions.find((a) => a.name === name)!;
let dir = '';
let server: StartedServer | null = null;

/** Grafana's Service as kubectl shows it, field by field: what Undo and recovery must give back. */
async function grafanaSpec(): Promise<{ type: string; nodePorts: (number | null)[]; policy: string | null }> {
  const svc = JSON.parse(await kubectl(['get', 'service', '-n', 'monitoring', 'kps-grafana', '-o', 'json'])) as {
    spec: { type: string; ports: { nodePort?: number }[]; externalTrafficPolicy?: string };
  };
  return { type: svc.spec.type, nodePorts: svc.spec.ports.map((p) => p.nodePort ?? null), policy: svc.spec.externalTrafficPolicy ?? null };
}

async function start(pauseAt?: string): Promise<StartedServer> {
  const env: Record<string, string> = { LABGATE_DATA_DIR: dir, LABGATE_HOST_TOKEN: token, LABGATE_ADMIN_PASSWORD: password };
  // The pause is the test's own preload: the runtime settings' options, and it.
  if (pauseAt)
    Object.assign(env, {
      LABGATE_TEST_PAUSE_AT: pauseAt,
      NODE_OPTIONS: `${runtimeEnv(REPO).NODE_OPTIONS ?? ''} --import=${path.join(REPO, 'lab', 'pause-at.mts')}`.trim(),
    });
  server = await startServer({ env });
  return server;
}

const api = async <T>(url: string): Promise<T> =>
  (await (await fetch(`${server!.base}${url}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;

async function callAction(name: string, args: unknown[]): Promise<Response> {
  const { base } = server!;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ password }),
  });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const req = actionRequest(action(name), args, { cookie, origin: base });
  return fetch(`${base}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
}

/** Starts the action and kills the server with SIGKILL once it says it is paused at the boundary. */
async function killAt(boundary: string, name: string, args: unknown[]): Promise<void> {
  const s = await start(boundary);
  void callAction(name, args).catch(() => undefined); // its connection dies with the server
  await eventually(`the server paused at ${boundary}`, async () => s.output().includes(`paused at ${boundary}`), 30_000);
  await s.stop('SIGKILL');
}

type Journal = { id: string; state: string }[];
type Forwards = { id: string; description: string; listenPort: number }[];

/** After the restart: the one Expose is `done` with its forward, Service and URL — or undone with no trace. */
async function expectWholeOrGone(before: Awaited<ReturnType<typeof grafanaSpec>>, whole: boolean): Promise<void> {
  const s = await start();
  await eventually(
    'crash recovery at start',
    async () => !(await api<Journal>('/api/host/journal?operation=expose')).some((e) => e.state === 'running'),
    30_000,
  );
  const journal = await api<Journal>('/api/host/journal?operation=expose');
  const forwards = (await api<Forwards>('/api/host/forwards')).filter((f) => f.description.startsWith('exposed '));
  const rules = (await run('iptables-save', [])).stdout;
  if (whole) {
    expect(journal.filter((e) => e.state === 'done')).toHaveLength(1);
    expect(forwards.map((f) => f.listenPort)).toEqual([30060]);
    expect(await grafanaSpec()).toMatchObject({ type: 'NodePort', nodePorts: expect.arrayContaining([30060]) });
    expect(rules).toContain('--dport 30060');
  } else {
    expect(journal.filter((e) => e.state === 'done')).toEqual([]);
    expect(forwards).toEqual([]); // no orphan forward
    expect(await grafanaSpec()).toEqual(before); // no Service left patched: type, every nodePort, the policy
    expect(rules).not.toContain('--dport 30060');
  }
  await s.stop();
}

beforeAll(async () => {
  await rebootFirewall(labPrefix());
  await kubectl(grafanaNodePortArgs(false)).catch(() => undefined); // ClusterIP, as the lab starts
});

afterEach(async () => {
  await server?.stop('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await kubectl(grafanaNodePortArgs(false)).catch(() => undefined);
  await rebootFirewall(labPrefix());
});

describe('Expose Grafana killed with SIGKILL at each step boundary, then restarted', () => {
  it.each([
    { boundary: 'expose:journal-written', whole: false },
    { boundary: 'expose:service-patched', whole: false },
    { boundary: 'expose:forward-created', whole: false },
    { boundary: 'expose:url-verified', whole: false },
    { boundary: 'expose:journal-done', whole: true },
  ])(
    'at $boundary: whole $whole',
    async ({ boundary, whole }) => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-expose-crash-'));
      const before = await grafanaSpec();
      await killAt(boundary, 'applyExposeAction', [{ kind: 'grafana' }]);
      await expectWholeOrGone(before, whole);
      if (whole) {
        // Undone in the ordinary way: every field back as it was.
        await start();
        const { id } = (await api<Journal>('/api/host/journal?operation=expose')).find((e) => e.state === 'done')!;
        expect(await (await callAction('undoExposeAction', [id])).text()).toContain('"ok":true');
        expect(await grafanaSpec()).toEqual(before);
      }
    },
    120_000,
  );
});

describe('Undo killed with SIGKILL at each step boundary, then restarted', () => {
  it.each(['undo:journal-written', 'undo:forward-removed', 'undo:service-restored', 'undo:journal-done'])(
    'at %s: gone',
    async (boundary) => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-undo-crash-'));
      const before = await grafanaSpec();
      await start();
      expect(await (await callAction('applyExposeAction', [{ kind: 'grafana' }])).text()).toContain('"ok":true');
      const { id } = (await api<Journal>('/api/host/journal?operation=expose')).find((e) => e.state === 'done')!;
      await server!.stop();
      await killAt(boundary, 'undoExposeAction', [id]);
      await expectWholeOrGone(before, false);
    },
    120_000,
  );
});
