// `npm run bench:memory`: each process's memory in the two-role shape at the scale profile
// (200 nodes, 2,000 services, 10,000 pods in the real apiserver): after warm-up, and under pod
// churn. Every figure from one run; written to docs/benchmarks.md. Brings up the scale lab
// (prefix lgb-, or reuses a running one with LABGATE_BENCH_REUSE_LAB=1); not part of `npm test`.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { grafanaNodePortArgs } from '../lab/controls.mts';
import { DEFAULT_SCALE } from '../lab/scale.mts';
import { socketRequest, startServer, type StartedServer } from '../lab/server.mts';
import { kubectl } from '../lab/testing.mts';
import { labPaths } from '../lab/paths.mts';
import { runtimeEnv } from '../lab/runtime-env.mts';
import { log, ROOT } from '../scripts/lib/setup.mts';
import { churnPods, memoryOf, rssMbOf } from './churn.mts';
import { benchInLab, runBench } from './report.mts';

const PREFIX = process.env.LABGATE_BENCH_PREFIX ?? 'lgb-';
const CHURN_SECONDS = Number(process.env.LABGATE_BENCH_CHURN_SECONDS ?? 300);
const GOAL_MB = 250;
const PAGES = ['/', '/instances', '/nodes', '/services', '/forwards', '/activity', '/api/state/services', '/api/state/overview'];

async function measure() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-memory-'));
  const token = randomBytes(24).toString('base64url');
  const password = randomBytes(12).toString('base64url');
  const socket = path.join(dir, 'host.sock');
  const servers: StartedServer[] = [];
  const common = {
    KUBECONFIG: process.env.LABGATE_LAB_LABGATE_KUBECONFIG!,
    LABGATE_HTTP: '1',
    LABGATE_HOST_TOKEN: token,
    PATH: process.env.PATH!,
  };
  try {
    await kubectl(grafanaNodePortArgs(true));
    const host = await startServer({
      env: { ...common, LABGATE_ROLE: 'host', LABGATE_DATA_DIR: fs.mkdtempSync(path.join(dir, 'host-')), LABGATE_SOCKET: socket },
    });
    servers.push(host);
    const ui = await startServer({
      env: {
        ...common,
        LABGATE_ROLE: 'ui',
        LABGATE_HOST_URL: `unix:${socket}`,
        LABGATE_ADMIN_PASSWORD: password,
        LABGATE_DATA_DIR: fs.mkdtempSync(path.join(dir, 'ui-')),
      },
    });
    servers.push(ui);
    const created = await socketRequest(socket, 'POST', '/api/host/forwards', {
      token,
      body: { name: 'Grafana', listenPort: 30060, target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 } },
    });
    if (created.code !== 201) throw new Error(`the forward was refused: ${JSON.stringify(created.json)}`);

    const login = await fetch(`${ui.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ui.base },
      body: JSON.stringify({ password }),
    });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('labgate_session='))
      ?.split(';')[0];
    if (!cookie) throw new Error(`login failed: ${login.status}`);
    // Warm-up: the whole cluster listed by both, every page rendered a few times, then quiet.
    for (let until = Date.now() + 120_000; ;) {
      const s = (await (await fetch(`${ui.base}/api/state/services`, { headers: { cookie } })).json()) as { total: number };
      if (s.total >= DEFAULT_SCALE.services) break;
      if (Date.now() > until) throw new Error(`the ui role lists ${s.total} services after 2 min`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
    for (let i = 0; i < 5; i++) for (const url of PAGES) await (await fetch(`${ui.base}${url}`, { headers: { cookie } })).text();
    await new Promise((r) => setTimeout(r, 30_000));
    const pids = { host: host.child.pid!, ui: ui.child.pid! };
    const warm = { host: rssMbOf(pids.host), ui: rssMbOf(pids.ui) };
    log(`after warm-up: host ${warm.host.toFixed(0)} MB, ui ${warm.ui.toFixed(0)} MB; churning ${CHURN_SECONDS} s`);
    // Pages keep being asked for during the churn, as open browsers would.
    const reader = setInterval(
      () =>
        void fetch(`${ui.base}/api/state/services`, { headers: { cookie } })
          .then((r) => r.text())
          .catch(() => ''), // a read in flight when the servers stop
      2_000,
    );
    const churn = await churnPods(labPaths(PREFIX).adminKubeconfig, CHURN_SECONDS, pids);
    clearInterval(reader);
    return { warm, churn, host: memoryOf(churn, 'host'), ui: memoryOf(churn, 'ui') };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Figures = Awaited<ReturnType<typeof measure>>;

function report(f: Figures): string {
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  const met = (x: number) => (x < GOAL_MB ? 'yes' : '**no**');
  const c = f.churn;
  const rows = (['host', 'ui'] as const).flatMap((role) => [
    [`${role} role RSS after warm-up`, mb(f.warm[role]), `< ${GOAL_MB} MB`, met(f.warm[role])],
    [
      `${role} role RSS under ${c.seconds / 60} min of pod churn (end; highest sample)`,
      `${mb(f[role].endMb)}; ${mb(f[role].maxMb)}`,
      `< ${GOAL_MB} MB`,
      met(f[role].maxMb),
    ],
    [
      `${role} role RSS growth over the churn's second half`,
      `${f[role].secondHalfGrowthMb >= 0 ? '+' : ''}${f[role].secondHalfGrowthMb.toFixed(1)} MB`,
      '< 10 MB',
      f[role].secondHalfGrowthMb < 10 ? 'yes' : '**no**',
    ],
  ]);
  return [
    '## Memory per process, two roles, at the scale profile',
    '',
    `Written by \`npm run bench:memory\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, the units' runtime settings: ${
      Object.entries(runtimeEnv(ROOT))
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || 'none'
    }): the host role (on its socket) and the ui role as separate processes, ${DEFAULT_SCALE.nodes} nodes, ${DEFAULT_SCALE.services} services, ${DEFAULT_SCALE.pods} pods; churn ${c.perSecond.toFixed(0)} pod changes a second reached of 100 asked (${c.changes} changes, ${c.dropped} not sent while 50 were in flight, ${c.failed} refused), the Services API read every 2 s meanwhile.`,
    '',
    '| measure | figure | goal | met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Samples (s → host/ui MB): ${c.samples.map((x) => `${x.s}→${x.mb.host!.toFixed(0)}/${x.mb.ui!.toFixed(0)}`).join(', ')}.`,
    '',
  ].join('\n');
}

runBench(() =>
  benchInLab({
    script: 'bench:memory',
    file: import.meta.filename,
    prefix: PREFIX,
    scale: DEFAULT_SCALE,
    measure,
    report,
  }),
);
