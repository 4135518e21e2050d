// `npm run bench:idle`: what labgate costs when nothing happens, in the two-role shape the units
// run — how often the host role reads the whole firewall, its CPU, and how fast a flush is still
// noticed and repaired — with three pages open in Chromium; then the same idle window again with
// the health probes of its forwards held off, for what probing costs. Every figure from one run;
// written to docs/benchmarks.md. Brings up a lab of its own (prefix lgi-); not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../lab/browser.mts';
import { grafanaNodePortArgs } from '../lab/controls.mts';
import { run } from '../lab/exec.mts';
import { startServer, type StartedServer } from '../lab/server.mts';
import { kubectl } from '../lab/testing.mts';
import { LAN } from '../lab/topology.mts';
import { log } from '../scripts/lib/setup.mts';
import { benchInLab, runBench } from './report.mts';

const PREFIX = process.env.LABGATE_BENCH_PREFIX ?? 'lgi-';
const IDLE_SECONDS = Number(process.env.LABGATE_BENCH_IDLE_SECONDS ?? 300);
const FLUSHES = Number(process.env.LABGATE_BENCH_FLUSHES ?? 20);
const PAGES = ['/', '/forwards', '/activity'];
// Forwards the health monitor probes besides Grafana's: Jenkins on ops, at these host ports.
const EXTRA_FORWARDS = Array.from({ length: 10 }, (_, i) => 8101 + i);
const HEALTH_SECONDS = 30; // the default probe interval
const NO_PROBES_SECONDS = 3_600; // the longest: one round at the start, none in the window
// The firewall tools the host role runs, each counted by a wrapper ahead of it on its PATH.
const TOOLS = [
  'iptables-nft-save',
  'iptables-nft-restore',
  'iptables-nft',
  'iptables-legacy-save',
  'iptables-legacy-restore',
  'iptables-legacy',
];

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!;

/** Wrappers that log each run of a tool, then run it. */
function countingPath(dir: string, logFile: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const tool of TOOLS) {
    // The system's own tool (not the lab's fault-injecting wrapper, which finds its tool on PATH: this one).
    const real = spawnSync('sh', ['-c', `command -v ${tool}`], {
      encoding: 'utf8',
      env: { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    }).stdout.trim();
    if (!real) continue;
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho ${tool} >> ${logFile}\nexec ${real} "$@"\n`, { mode: 0o755 });
  }
  return bin;
}

const counts = (logFile: string) => {
  const c = new Map<string, number>();
  for (const line of fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n') : [])
    if (line) c.set(line, (c.get(line) ?? 0) + 1);
  return c;
};

/** Counts the `change` events of a server-sent event stream until aborted. */
function countChanges(url: string, headers: Record<string, string>, signal: AbortSignal): { count: () => number } {
  let n = 0;
  void (async () => {
    try {
      const res = await fetch(url, { headers, signal });
      const decoder = new TextDecoder();
      const reader = res.body!.getReader();
      let buffer = '';
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        buffer += decoder.decode(read.value, { stream: true });
        const complete = buffer.lastIndexOf('\n\n');
        if (complete < 0) continue;
        n += (buffer.slice(0, complete).match(/^event: change$/gm) ?? []).length;
        buffer = buffer.slice(complete + 2);
      }
    } catch {
      // aborted at the end of the idle window
    }
  })();
  return { count: () => n };
}

/** CPU seconds of a process and of the children it waited for (its iptables runs). */
function cpuSeconds(pid: number): { own: number; children: number } {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const tick = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim());
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]) / tick);
  return { own: utime! + stime!, children: cutime! + cstime! };
}

/** The host's own connections through labgate's rules (its LOCAL DNAT rules' counters): the health probes. */
async function ownConnections(): Promise<number> {
  const saved = (await run('iptables-save', ['-c', '-t', 'nat'])).stdout.split('\n');
  return saved
    .filter((l) => l.includes('--src-type LOCAL') && l.includes('labgate:'))
    .reduce((n, l) => n + Number(/^\[(\d+):/.exec(l)?.[1] ?? 0), 0);
}

async function measure() {
  const probing = await idleWindow(HEALTH_SECONDS, true);
  const quiet = await idleWindow(NO_PROBES_SECONDS, false);
  return { ...probing, quiet };
}

/** One idle window with the two roles fresh, their forwards probed every `healthSeconds`; and the flushes, when asked. */
async function idleWindow(healthSeconds: number, flushes: boolean) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-idle-'));
  const logFile = path.join(dir, 'tools.log');
  const token = randomBytes(24).toString('base64url');
  const password = randomBytes(12).toString('base64url');
  const servers: StartedServer[] = [];
  const common = {
    KUBECONFIG: process.env.LABGATE_LAB_LABGATE_KUBECONFIG!,
    LABGATE_HTTP: '1',
    LABGATE_HOST_TOKEN: token,
    LABGATE_HEALTH_INTERVAL_SECONDS: String(healthSeconds),
  };
  await kubectl(grafanaNodePortArgs(true));
  try {
    const host = await startServer({
      env: {
        ...common,
        LABGATE_ROLE: 'host',
        LABGATE_DATA_DIR: fs.mkdtempSync(path.join(dir, 'host-')),
        PATH: `${countingPath(dir, logFile)}:${process.env.PATH}`,
      },
    });
    servers.push(host);
    const ui = await startServer({
      env: {
        ...common,
        LABGATE_ROLE: 'ui',
        LABGATE_HOST_URL: host.base,
        LABGATE_ADMIN_PASSWORD: password,
        LABGATE_DATA_DIR: fs.mkdtempSync(path.join(dir, 'ui-')),
        HOSTNAME: '0.0.0.0', // the browser runs on the lab's LAN laptop
      },
    });
    servers.push(ui);
    const api = (method: string, url: string, body?: unknown) =>
      fetch(`${host.base}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const forward = await api('POST', '/api/host/forwards', {
      name: 'Grafana',
      listenPort: 30060,
      target: { kind: 'service', namespace: 'monitoring', name: 'kps-grafana', port: 80 },
    });
    if (forward.status !== 201) throw new Error(`the forward was refused: ${await forward.text()}`);
    const { id } = (await forward.json()) as { id: string };
    for (const listenPort of EXTRA_FORWARDS) {
      const extra = await api('POST', '/api/host/forwards', {
        name: `Jenkins ${listenPort}`,
        listenPort,
        target: { kind: 'instance', name: 'ops', port: 8080 },
      });
      if (extra.status !== 201) throw new Error(`the forward of port ${listenPort} was refused: ${await extra.text()}`);
    }

    const browser = await chromium.launch({ executablePath: process.env.LABGATE_LAB_CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const baseURL = ui.base.replace('127.0.0.1', LAN.host);
      const context = await browser.newContext({ baseURL });
      const login = await context.request.post('/api/auth/login', { data: { password }, headers: { origin: baseURL } });
      if (!login.ok()) throw new Error(`login: ${login.status()}`);
      for (const url of PAGES) await (await context.newPage()).goto(url, { waitUntil: 'networkidle' });

      log(`idle for ${IDLE_SECONDS} s with ${PAGES.join(', ')} open`);
      fs.writeFileSync(logFile, '');
      // What wakes the open pages, and what the host role tells the ui role, while nothing happens.
      const session = (await context.cookies()).find((c) => c.name === 'labgate_session');
      const streams = new AbortController();
      const pageEvents = countChanges(`${ui.base}/api/state/events`, { cookie: `labgate_session=${session?.value}` }, streams.signal);
      const hostEvents = countChanges(`${host.base}/api/host/events`, { authorization: `Bearer ${token}` }, streams.signal);
      const cpu0 = cpuSeconds(host.child.pid!);
      const probes0 = await ownConnections();
      await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
      const cpu1 = cpuSeconds(host.child.pid!);
      const probes = (await ownConnections()) - probes0;
      streams.abort();
      const idle = counts(logFile);
      const perMinute = (tools: string[]) => (tools.reduce((n, t) => n + (idle.get(t) ?? 0), 0) * 60) / IDLE_SECONDS;

      const flushMs: number[] = [];
      if (flushes) log(`${FLUSHES} flushes`);
      for (let i = 0; flushes && i < FLUSHES; i++) {
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000)); // no lock-step with the check's timer
        await run('iptables', ['-w', '-t', 'nat', '-F']);
        await run('iptables', ['-w', '-t', 'filter', '-F']);
        const t0 = performance.now();
        while (!(await run('iptables-save', ['-t', 'nat'])).stdout.includes(`labgate:${id}`)) {
          if (performance.now() - t0 > 10_000) throw new Error(`flush ${i + 1} was not repaired within 10 s`);
          await new Promise((r) => setTimeout(r, 20));
        }
        flushMs.push(performance.now() - t0);
      }
      return {
        probesPerMinute: (probes * 60) / IDLE_SECONDS,
        seconds: IDLE_SECONDS,
        savesPerMinute: perMinute(['iptables-nft-save', 'iptables-legacy-save']),
        checksPerMinute: perMinute(['iptables-nft', 'iptables-legacy']),
        restores: (idle.get('iptables-nft-restore') ?? 0) + (idle.get('iptables-legacy-restore') ?? 0),
        pageEventsPerMinute: (pageEvents.count() * 60) / IDLE_SECONDS,
        hostEventsPerMinute: (hostEvents.count() * 60) / IDLE_SECONDS,
        cpuPercent: ((cpu1.own - cpu0.own) / IDLE_SECONDS) * 100,
        childCpuPercent: ((cpu1.children - cpu0.children) / IDLE_SECONDS) * 100,
        flush: { n: flushMs.length, p50: quantile(flushMs, 0.5), max: Math.max(...flushMs) },
      };
    } finally {
      await browser.close();
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    // The rules go with the data dir: the next window starts from a firewall without them.
    await run('iptables', ['-w', '-t', 'nat', '-F']);
    await run('iptables', ['-w', '-t', 'filter', '-F']);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Figures = Awaited<ReturnType<typeof measure>>;

function report(f: Figures): string {
  const probeCpu = f.cpuPercent - f.quiet.cpuPercent;
  const ms = (x: number) => `${x.toFixed(0)} ms`;
  const rows = [
    [
      `iptables-save runs per minute, idle ${(f.seconds / 60).toFixed(f.seconds % 60 ? 1 : 0)} min with ${PAGES.length} pages open`,
      f.savesPerMinute.toFixed(1),
      '—',
    ],
    ['cheap canary checks (iptables -S) per minute', f.checksPerMinute.toFixed(1), '—'],
    ['iptables-restore runs while idle', String(f.restores), '0'],
    [
      "live events per minute while idle: to the open pages; from the host role to the ui role (Multipass's telemetry moves on every call)",
      `${f.pageEventsPerMinute.toFixed(1)}; ${f.hostEventsPerMinute.toFixed(1)}`,
      'telemetry only, at most 2 a minute',
    ],
    [
      "host role CPU while idle: its own (Multipass over the daemon's socket included); the programs it ran (iptables)",
      `${f.cpuPercent.toFixed(2)} %; ${f.childCpuPercent.toFixed(2)} %`,
      '—',
    ],
    [
      `health probes per minute, ${EXTRA_FORWARDS.length + 1} forwards every ${HEALTH_SECONDS} s (the host's own connections, from the kernel's counters)`,
      f.probesPerMinute.toFixed(1),
      '—',
    ],
    [
      `host role CPU while idle with the probes held off (every ${NO_PROBES_SECONDS} s); what probing adds`,
      `${f.quiet.cpuPercent.toFixed(2)} %; ${probeCpu > 0 ? `${probeCpu.toFixed(2)} % (${(((probeCpu / 100) * 60_000) / f.probesPerMinute).toFixed(1)} ms CPU a probe)` : `nothing measurable (${probeCpu.toFixed(2)} %: within the noise between two windows)`}`,
      'within the idle figure above',
    ],
    [
      `flush (nat and filter) → labgate's rules back (${f.flush.n} flushes)`,
      `p50 ${ms(f.flush.p50)}, max ${ms(f.flush.max)}`,
      `p50 < 1 s, max < 2 s: ${f.flush.p50 < 1000 && f.flush.max < 2000 ? 'met' : '**not met**'}`,
    ],
  ];
  return [
    '## When nothing happens',
    '',
    `Written by \`npm run bench:idle\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}): the two roles as the units run them, on the lab host (normal profile), pages ${PAGES.join(', ')} open in Chromium.`,
    '',
    '| measure | figure | goal |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  ].join('\n');
}

runBench(() =>
  benchInLab({
    script: 'bench:idle',
    file: import.meta.filename,
    prefix: PREFIX,
    measure,
    report,
  }),
);
