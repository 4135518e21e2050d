import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { currentNetns } from '../lab/exec.mts';
import { LAB_PACKAGES, labDown, labEnv, labStatus, labUp } from '../lab/lab.mts';
import type { ScaleProfile } from '../lab/scale.mts';
import { namespaces } from '../lab/topology.mts';
import { ensureDebianPackages, ensureNodeModules, log, PACKAGES, ROOT } from '../scripts/lib/setup.mts';

const OUT = path.join(ROOT, 'docs', 'benchmarks.md');

/**
 * Writes a bench's figures into docs/benchmarks.md between its own markers (appended the first
 * time); what people wrote around them, and the other benches' figures, stay. Returns the figures.
 */
export function replaceFigures(script: string, figures: string): string {
  const start = `<!-- figures: written by npm run ${script} -->`;
  const end = '<!-- end of figures -->';
  const block = `${start}\n${figures}\n${end}`;
  const old = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  const a = old.indexOf(start);
  const b = a >= 0 ? old.indexOf(end, a) : -1;
  fs.writeFileSync(OUT, a >= 0 && b > a ? `${old.slice(0, a)}${block}${old.slice(b + end.length)}` : `${old.trimEnd()}\n\n${block}\n`);
  process.stderr.write(`bench: wrote ${path.relative(ROOT, OUT)}\n`);
  return `${figures}\n`;
}

/** The production build, made unless LABGATE_BENCH_NO_BUILD says to use the one there is. */
export function ensureBuild(): void {
  if (fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js')) && process.env.LABGATE_BENCH_NO_BUILD) return;
  log('building');
  const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) throw new Error('the build failed');
}

/**
 * A bench that measures inside a lab: run from the root namespace, it makes the build, brings up
 * the lab (or, with LABGATE_BENCH_REUSE_LAB, reuses a running one), runs `measure` in the lab's
 * host namespace (this same script, started again there), writes the figures `report` makes
 * into docs/benchmarks.md and takes the lab down again.
 */
export async function benchInLab<F>(opts: {
  script: string; // the npm script, naming the figures' place in docs/benchmarks.md
  file: string; // the bench's own file (import.meta.filename)
  prefix: string;
  scale?: ScaleProfile;
  measure: () => Promise<F>;
  report: (figures: F) => string;
}): Promise<void> {
  if (currentNetns() === namespaces(opts.prefix).host) {
    process.stdout.write(`${JSON.stringify(await opts.measure())}\n`);
    return;
  }
  ensureDebianPackages([...PACKAGES.tools, ...LAB_PACKAGES]);
  ensureNodeModules();
  ensureBuild();
  const reuse = !!process.env.LABGATE_BENCH_REUSE_LAB && (await labStatus(opts.prefix)).up;
  if (!reuse) {
    log(`bringing up the lab (prefix ${opts.prefix}${opts.scale ? '; the scale profile: the pods take several minutes' : ''})`);
    await labUp(opts.prefix, { scale: opts.scale, log: (m) => log(`lab: ${m}`) });
  }
  try {
    const res = spawnSync('ip', ['netns', 'exec', namespaces(opts.prefix).host, process.execPath, opts.file], {
      cwd: ROOT,
      env: { ...process.env, ...labEnv(opts.prefix) },
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    if (res.status !== 0) throw new Error(`the measurement failed (exit ${res.status})`);
    process.stdout.write(replaceFigures(opts.script, opts.report(JSON.parse(res.stdout.trim().split('\n').at(-1)!) as F)));
  } finally {
    if (!reuse) await labDown(opts.prefix);
  }
}

/** Runs a bench's main, reporting its failure in one line and the exit code. */
export function runBench(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    log(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  });
}
