// `npm run bench`: labgate's speed at the scale profile (200 nodes, 2,000 services, 10,000 pods
// in the real apiserver), each figure beside what it is compared with, measured in one run;
// writes docs/benchmarks.md. Runs the lab of its own (prefix lgb-); not part of `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAB_PACKAGES, labDown, labEnv, labStatus, labUp } from '../lab/lab.mts';
import { labPaths } from '../lab/paths.mts';
import { DEFAULT_SCALE } from '../lab/scale.mts';
import { namespaces } from '../lab/topology.mts';
import { ensureBuild, replaceFigures } from './report.mts';
import { ensureDebianPackages, ensureNodeModules, log, PACKAGES, ROOT } from '../scripts/lib/setup.mts';

const PREFIX = process.env.LABGATE_BENCH_PREFIX ?? 'lgb-';

interface Summary {
  n: number;
  p50: number;
  p95: number;
  max: number;
}
interface Figures {
  list: {
    services: number;
    apiBytes: number;
    cold: { page: Summary; api: Summary };
    warm: { page: Summary; api: Summary };
    kubectl: Summary;
    clientNode: Summary;
  };
  js: { initialFiles: number; initialGzipKb: number; allFiles: number; allGzipKb: number };
  memory: {
    seconds: number;
    changes: number;
    failed: number;
    dropped: number;
    perSecond: number;
    startMb: number;
    endMb: number;
    maxMb: number;
    secondHalfGrowthMb: number;
    samples: { s: number; mb: number }[];
  };
  moves: Summary;
  flushes: Summary;
}
interface FirewallFigures {
  forwards: number;
  restoreMs: number;
  labgateMs: number;
  manualMs: number;
  noopRestores: number;
  noopMs: number;
  oneChangeMs: number;
}

function runJson<T>(cmd: string, args: string[], env: NodeJS.ProcessEnv): T {
  const res = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (res.status !== 0) throw new Error(`${path.basename(args[args.length - 1] ?? cmd)} failed (exit ${res.status})`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as T;
}

const ms = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const mark = (ok: boolean) => (ok ? 'yes' : '**no**');

function machine(): string {
  const ipt = spawnSync('iptables', ['--version'], { encoding: 'utf8' }).stdout.trim();
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ${ipt}`;
}

function report(f: Figures, fw: FirewallFigures, scaleUpS: number | null): string {
  const l = f.list;
  const apiVsKubectl = l.warm.api.p50 / l.kubectl.p50;
  const rows: [string, string, string, string][] = [
    ['Services page, cold (first request after a start; 3 starts)', `p50 ${ms(l.cold.page.p50)}, max ${ms(l.cold.page.max)}`, '—', '—'],
    [
      'Services page, warm (50 requests)',
      `p50 ${ms(l.warm.page.p50)}, p95 ${ms(l.warm.page.p95)}`,
      'p95 < 300 ms',
      mark(l.warm.page.p95 < 300),
    ],
    ['/api/state/services, cold (3 starts)', `p50 ${ms(l.cold.api.p50)}, max ${ms(l.cold.api.max)}`, '—', '—'],
    [
      '/api/state/services, warm (50 requests)',
      `p50 ${ms(l.warm.api.p50)}, p95 ${ms(l.warm.api.p95)} (${(l.apiBytes / 1024).toFixed(0)} kB)`,
      '—',
      '—',
    ],
    [
      `kubectl get svc -A -o json (${l.kubectl.n} runs, ${l.services} services)`,
      `p50 ${ms(l.kubectl.p50)}, p95 ${ms(l.kubectl.p95)}`,
      '—',
      '—',
    ],
    [
      `client-node listServiceForAllNamespaces (${l.clientNode.n} runs)`,
      `p50 ${ms(l.clientNode.p50)}, p95 ${ms(l.clientNode.p95)}`,
      '—',
      '—',
    ],
    ['ratio: warm API p50 / kubectl p50', `${apiVsKubectl.toFixed(3)}×`, '≤ 0.2×', mark(apiVsKubectl <= 0.2)],
    ['ratio: warm API p50 / client-node list p50', `${(l.warm.api.p50 / l.clientNode.p50).toFixed(3)}×`, '—', '—'],
    ['server RSS after warm-up', `${f.memory.startMb.toFixed(0)} MB`, '< 250 MB', mark(f.memory.startMb < 250)],
    [
      `server RSS after ${f.memory.seconds / 60} min of pod churn: ${f.memory.perSecond.toFixed(0)} changes/s reached of 100 asked (${f.memory.changes} changes; ${f.memory.dropped} not sent while 50 were in flight, ${f.memory.failed} refused)`,
      `${f.memory.endMb.toFixed(0)} MB (max ${f.memory.maxMb.toFixed(0)} MB)`,
      '< 250 MB',
      mark(f.memory.maxMb < 250),
    ],
    [
      "RSS growth over the churn's second half",
      `${f.memory.secondHalfGrowthMb >= 0 ? '+' : ''}${f.memory.secondHalfGrowthMb.toFixed(0)} MB`,
      'flat: grows < 10 MB',
      mark(f.memory.secondHalfGrowthMb < 10),
    ],
    [
      `JavaScript the Overview's HTML loads, gzipped (${f.js.initialFiles} files)`,
      `${f.js.initialGzipKb.toFixed(0)} kB`,
      '< 200 kB',
      mark(f.js.initialGzipKb < 200),
    ],
    [`all JavaScript once the topology is drawn, gzipped (${f.js.allFiles} files)`, `${f.js.allGzipKb.toFixed(0)} kB`, '—', '—'],
    [
      `re-point: Grafana pod moved, new pod Ready → LAN URL answers from the new node (${f.moves.n} moves)`,
      `p50 ${ms(f.moves.p50)}, p95 ${ms(f.moves.p95)}`,
      'p50 < 1 s, p95 < 2 s',
      mark(f.moves.p50 < 1000 && f.moves.p95 < 2000),
    ],
    [
      `flush recovery: nat and filter flushed → LAN URL answers (${f.flushes.n} flushes)`,
      `p50 ${ms(f.flushes.p50)}, p95 ${ms(f.flushes.p95)}, max ${ms(f.flushes.max)}`,
      '< 2 s',
      mark(f.flushes.max < 2000),
    ],
    [
      `firewall: ${fw.forwards} forwards, one iptables-restore vs ${2 * fw.forwards} iptables calls`,
      `${ms(fw.restoreMs)} vs ${ms(fw.manualMs)} = ${(fw.manualMs / fw.restoreMs).toFixed(1)}×`,
      '≥ 50×',
      mark(fw.manualMs / fw.restoreMs >= 50),
    ],
    [
      'firewall: whole sync (read, compare, restore) vs by hand',
      `${ms(fw.labgateMs)}: ${(fw.manualMs / fw.labgateMs).toFixed(1)}×`,
      '—',
      '—',
    ],
    ['firewall: restores in 100 no-op syncs; one no-op sync', `${fw.noopRestores}; ${ms(fw.noopMs)}`, '0', mark(fw.noopRestores === 0)],
  ];
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}; every figure and ratio below comes from that one run.`,
    '',
    `- Machine: ${machine()}.`,
    `- Lab: the scale profile (${DEFAULT_SCALE.nodes} nodes, ${DEFAULT_SCALE.services} services, ${DEFAULT_SCALE.pods} pods in the real kube-apiserver, KWOK kubelets)${scaleUpS === null ? '' : `, up in ${scaleUpS.toFixed(0)} s`}; labgate's production build, role all, on the lab host; requests from the same namespace, LAN checks with curl from the lab's laptop.`,
    '',
    '| measure | figure | goal | met |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    `Memory samples (s → MB): ${f.memory.samples.map((x) => `${x.s}→${x.mb.toFixed(0)}`).join(', ')}.`,
    '',
  ].join('\n');
}

/** Whether the lab with this prefix was brought up with the scale profile. */
function scaled(prefix: string): boolean {
  try {
    return !!(JSON.parse(fs.readFileSync(labPaths(prefix).labState, 'utf8')) as { scale?: unknown }).scale;
  } catch {
    return false;
  }
}

async function main() {
  ensureDebianPackages([...PACKAGES.tools, ...LAB_PACKAGES]);
  ensureNodeModules();
  ensureBuild();
  // First, while no lab is busy beside it: both sides of the ratio are CPU-bound.
  log('firewall apply');
  const fw = runJson<FirewallFigures>(path.join(ROOT, 'scripts', 'bench-firewall.sh'), [], { ...process.env, BENCH_JSON: '1' });
  const t0 = Date.now();
  let scaleUpS: number | null = null;
  if (process.env.LABGATE_BENCH_REUSE_LAB && (await labStatus(PREFIX)).up && scaled(PREFIX)) {
    log(`reusing the running scale lab (prefix ${PREFIX})`); // while working on a figure
  } else {
    log(`bringing up the scale lab (prefix ${PREFIX}; the pods take several minutes)`);
    await labUp(PREFIX, { scale: DEFAULT_SCALE, log: (m) => log(`lab: ${m}`) });
    scaleUpS = (Date.now() - t0) / 1000;
  }
  try {
    const env = { ...process.env, ...labEnv(PREFIX) };
    const figures = runJson<Figures>(
      'ip',
      ['netns', 'exec', namespaces(PREFIX).host, process.execPath, path.join(ROOT, 'bench', 'measure.mts')],
      env,
    );
    process.stdout.write(replaceFigures('bench', report(figures, fw, scaleUpS)));
  } finally {
    if (!process.env.LABGATE_BENCH_REUSE_LAB) await labDown(PREFIX);
  }
}

main().catch((e: unknown) => {
  log(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
