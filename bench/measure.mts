// The measurements of `npm run bench`, run inside the lab's host namespace with the lab's
// environment (bench/run.mts starts it there). Prints one JSON object of figures.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { movePod, podNodes, rebootFirewall, grafanaNodePortArgs } from '../lab/controls.mts';
import { assertInLabNamespace } from '../lab/exec.mts';
import { labPaths } from '../lab/paths.mts';
import { LAN, namespaces } from '../lab/topology.mts';
import { CHROMIUM_ARGS } from '../lab/browser.mts';
import { churnPods, memoryOf } from './churn.mts';

const ROOT = path.resolve(import.meta.dirname, '..');
const prefix = process.env.LABGATE_LAB_PREFIX!;
assertInLabNamespace(prefix);
const p = labPaths(prefix);
const PORT = 3700 + Math.floor(Math.random() * 200);
const BASE = `http://127.0.0.1:${PORT}`;
const password = randomBytes(12).toString('base64url');
const hostToken = randomBytes(24).toString('base64url');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-bench-'));
const CHURN_SECONDS = Number(process.env.LABGATE_BENCH_CHURN_SECONDS ?? 600);
const MOVES = Number(process.env.LABGATE_BENCH_MOVES ?? 30);
const FLUSHES = Number(process.env.LABGATE_BENCH_FLUSHES ?? 30);
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

const now = () => performance.now();
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const summary = (xs: number[]) => ({ n: xs.length, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), max: Math.max(...xs) });

/** The lab's kubectl as its admin. */
const kubectlAdmin = (...args: string[]) =>
  spawnSync(process.env.LABGATE_LAB_KUBECTL!, [`--kubeconfig=${p.adminKubeconfig}`, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });

let app: ChildProcess | null = null;

async function startApp(): Promise<void> {
  app = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      HOSTNAME: '0.0.0.0',
      PORT: String(PORT),
      // Plain HTTP, as the figures in docs/benchmarks.md were taken: TLS is not what the bench measures.
      LABGATE_HTTP: '1',
      KUBECONFIG: process.env.LABGATE_LAB_LABGATE_KUBECONFIG,
      LABGATE_DATA_DIR: dataDir,
      LABGATE_ADMIN_PASSWORD: password,
      LABGATE_HOST_TOKEN: hostToken,
    },
  });
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(`${BASE}/api/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('labgate did not start');
}

async function stopApp(): Promise<void> {
  if (!app) return;
  const exited = new Promise((r) => app!.once('exit', r));
  app.kill('SIGTERM');
  await exited;
  app = null;
}

async function login(): Promise<string> {
  const res = await fetch(`${BASE}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE },
    body: JSON.stringify({ password }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('labgate_session='));
  if (!cookie) throw new Error(`login failed: ${res.status}`);
  return cookie.split(';')[0]!;
}

/** One GET, timed until the whole body has arrived. */
async function timedGet(url: string, cookie: string): Promise<{ ms: number; body: string }> {
  const t0 = now();
  const res = await fetch(`${BASE}${url}`, { headers: { cookie } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return { ms: now() - t0, body };
}

function kubeConfig(file: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}

async function listSpeed() {
  // Cold: the first request after a start, three starts.
  const cold = { page: [] as number[], api: [] as number[] };
  for (let i = 0; i < 3; i++) {
    await startApp();
    const cookie = await login();
    cold.page.push((await timedGet('/services', cookie)).ms);
    cold.api.push((await timedGet('/api/state/services', cookie)).ms);
    await stopApp();
  }
  await startApp();
  const cookie = await login();
  const warm = { page: [] as number[], api: [] as number[] };
  let apiBytes = 0;
  for (let i = 0; i < 50; i++) warm.page.push((await timedGet('/services', cookie)).ms);
  for (let i = 0; i < 50; i++) {
    const r = await timedGet('/api/state/services', cookie);
    warm.api.push(r.ms);
    apiBytes = r.body.length;
  }
  const kubectlMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = now();
    const res = kubectlAdmin('get', 'svc', '-A', '-o', 'json');
    if (res.status !== 0) throw new Error(`kubectl: ${res.stderr}`);
    kubectlMs.push(now() - t0);
  }
  const core = kubeConfig(p.labgateKubeconfig).makeApiClient(CoreV1Api);
  const clientNodeMs: number[] = [];
  let services = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = now();
    services = (await core.listServiceForAllNamespaces()).items.length;
    clientNodeMs.push(now() - t0);
  }
  return {
    services,
    apiBytes,
    cold: { page: summary(cold.page), api: summary(cold.api) },
    warm: { page: summary(warm.page), api: summary(warm.api) },
    kubectl: summary(kubectlMs),
    clientNode: summary(clientNodeMs),
    cookie,
  };
}

const gzipKb = async (srcs: string[]) => {
  let kb = 0;
  for (const src of srcs) kb += zlib.gzipSync(Buffer.from(await (await fetch(`${BASE}${src}`)).arrayBuffer())).length / 1024;
  return kb;
};

/**
 * The JavaScript the Overview page loads, gzipped as a server sends it: what its HTML names
 * (without the `nomodule` polyfills a current browser skips), and everything Chromium fetched
 * once the page, topology included, is drawn.
 */
async function overviewJs(cookie: string) {
  const html = (await timedGet('/', cookie)).body;
  const initial = [...new Set([...html.matchAll(/<script(?![^>]*noModule)[^>]+src="([^"]+\.js)"/g)].map((m) => m[1]!))];
  const lanBase = `http://${LAN.host}:${PORT}`;
  const browser = await chromium.launch({
    executablePath: process.env.LABGATE_LAB_CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'labgate_session', value: cookie.split('=')[1]!, url: lanBase }]);
    const page = await context.newPage();
    const loaded = new Set<string>();
    page.on('response', (r) => {
      const url = new URL(r.url());
      if (url.pathname.endsWith('.js')) loaded.add(url.pathname);
    });
    await page.goto(`${lanBase}/`);
    await page.getByRole('figure', { name: /^Topology: \d+ VMs/ }).waitFor();
    await page.waitForLoadState('networkidle');
    return {
      initialFiles: initial.length,
      initialGzipKb: await gzipKb(initial),
      allFiles: loaded.size,
      allGzipKb: await gzipKb([...loaded]),
    };
  } finally {
    await browser.close();
  }
}

/** RSS while 100 pods a second change (annotation patches through the admin's API access). */
async function churnMemory() {
  const r = await churnPods(p.adminKubeconfig, CHURN_SECONDS, { server: app!.pid! });
  const { samples: _, ...rest } = r;
  return { ...rest, ...memoryOf(r, 'server') };
}

/** curl from the lab's LAN laptop (never blocking the event loop, so watch events keep their time). */
function curlLan(url: string): Promise<string | null> {
  return new Promise((resolve) =>
    execFile('ip', ['netns', 'exec', namespaces(prefix).lan, 'curl', '-s', '--max-time', '1', url], (err, stdout) =>
      resolve(err ? null : stdout),
    ),
  );
}

const GRAFANA = { namespace: 'monitoring', selector: 'app.kubernetes.io/name=grafana' };

/**
 * Grafana on one of the lab's three real nodes, and kept there: the scale profile's KWOK nodes
 * have no responders behind their addresses. Returns the undo.
 */
async function grafanaOnRealNodes(): Promise<() => void> {
  kubectlAdmin('cordon', '-l', 'labgate.lab/scale=true');
  const pods = await podNodes(prefix, GRAFANA);
  if (!pods.some((x) => /^node\d$/.test(x.node) && x.ready)) {
    await movePod(prefix, GRAFANA);
    kubectlAdmin('cordon', '-l', 'labgate.lab/scale=true'); // the move uncordoned the node it left
  }
  return () => kubectlAdmin('uncordon', '-l', 'labgate.lab/scale=true');
}

async function forwardGrafana(): Promise<string> {
  kubectlAdmin(...grafanaNodePortArgs(true));
  const res = await fetch(`${BASE}/api/host/forwards`, {
    method: 'POST',
    headers: { authorization: `Bearer ${hostToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Grafana',
      listenPort: 30060,
      target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 },
    }),
  });
  if (res.status !== 201) throw new Error(`forward: ${res.status} ${await res.text()}`);
  const url = `http://${LAN.host}:30060/`;
  for (let i = 0; i < 100 && !(await curlLan(url)); i++) await new Promise((r) => setTimeout(r, 100));
  return url;
}

/** From the new pod turning Ready (seen on a watch) until the LAN URL answers from its node. */
async function repoint(url: string) {
  const readyAt = new Map<string, number>();
  const watch = new Watch(kubeConfig(p.adminKubeconfig));
  const req = await watch.watch(
    '/api/v1/namespaces/monitoring/pods',
    { labelSelector: 'app.kubernetes.io/name=grafana' },
    (_type, pod: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }) => {
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready && !readyAt.has(pod.metadata.name)) readyAt.set(pod.metadata.name, now());
    },
    () => {},
  );
  const latencies: number[] = [];
  for (let i = 0; i < MOVES; i++) {
    const answers: { at: number; node: string | null }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const body = await curlLan(url);
        answers.push({ at: now(), node: body ? ((JSON.parse(body) as { node?: string }).node ?? null) : null });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const known = new Set(readyAt.keys());
    const moved = await movePod(prefix, GRAFANA);
    const newPod = [...readyAt.keys()].find((k) => !known.has(k));
    const ready = newPod ? readyAt.get(newPod)! : now();
    const until = now() + 10_000;
    while (!answers.some((a) => a.at >= ready && a.node === moved.to) && now() < until) await new Promise((r) => setTimeout(r, 20));
    polling = false;
    await poller;
    const first = answers.find((a) => a.at >= ready && a.node === moved.to);
    if (!first) throw new Error(`move ${i + 1}: ${url} never answered from ${moved.to}`);
    latencies.push(first.at - ready);
    log(`move ${i + 1}/${MOVES}: ${moved.from} → ${moved.to}, ${(first.at - ready).toFixed(0)} ms`);
  }
  req.abort();
  return summary(latencies);
}

/** From flushing nat and filter (as a reboot does) until the LAN URL answers again. */
async function flushRecovery(url: string) {
  const latencies: number[] = [];
  for (let i = 0; i < FLUSHES; i++) {
    const t0 = now();
    await rebootFirewall(prefix);
    while (!(await curlLan(url))) {
      if (now() - t0 > 15_000) throw new Error(`flush ${i + 1}: ${url} did not answer again within 15 s`);
    }
    latencies.push(now() - t0);
    await new Promise((r) => setTimeout(r, 500));
  }
  return summary(latencies);
}

async function main() {
  // LABGATE_BENCH_ONLY=moves: only the re-point and flush figures, while working on them.
  const only = process.env.LABGATE_BENCH_ONLY;
  let list: Awaited<ReturnType<typeof listSpeed>> | null = null;
  if (only !== 'moves') {
    log('list speed: /services and /api/state/services, cold and warm, against kubectl and client-node');
    list = await listSpeed(); // leaves labgate running
    log(
      `services page warm p95 ${list.warm.page.p95.toFixed(0)} ms; API warm p50 ${list.warm.api.p50.toFixed(0)} ms vs kubectl p50 ${list.kubectl.p50.toFixed(0)} ms`,
    );
  } else {
    await startApp();
  }
  log('re-point latency');
  const uncordon = await grafanaOnRealNodes();
  const url = await forwardGrafana();
  const moves = await repoint(url);
  uncordon();
  log(`re-point p50 ${moves.p50.toFixed(0)} ms, p95 ${moves.p95.toFixed(0)} ms`);
  log('flush recovery');
  const flushes = await flushRecovery(url);
  log(`flush recovery p50 ${flushes.p50.toFixed(0)} ms, max ${flushes.max.toFixed(0)} ms`);
  if (list) {
    const { cookie, ...listFigures } = list;
    log('JavaScript shipped for the Overview');
    const js = await overviewJs(cookie);
    log(`Overview JavaScript, gzipped: ${js.initialGzipKb.toFixed(0)} kB from its HTML, ${js.allGzipKb.toFixed(0)} kB once drawn`);
    log(`memory under churn: ${CHURN_SECONDS} s at 100 pod changes a second`);
    const memory = await churnMemory();
    log(`RSS ${memory.startMb.toFixed(0)} MB → ${memory.endMb.toFixed(0)} MB (max ${memory.maxMb.toFixed(0)}), ${memory.changes} changes`);
    process.stdout.write(`${JSON.stringify({ list: listFigures, js, memory, moves, flushes })}\n`);
  }
  await stopApp();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().catch(async (e: unknown) => {
  console.error(e);
  await stopApp();
  process.exitCode = 1;
});
