// `npm test`: installs what is missing, then typecheck, lint and unit tests; brings up a lab
// of its own and runs the lab and end-to-end suites inside it; takes the lab down; and ends
// with one line "N passed, N failed" counting every check and test case.
// `npm run soak` (--soak): only the fail-safe suites, at their long sizes — 10,000 fuzzed inputs
// per operation, 100 kill -9 trials, 5-minute outages.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAB_PACKAGES, labDown, labEnv, labUp } from '../lab/lab.mts';
import { ensureSystemRoot, SYSTEM_PACKAGES } from '../lab/system.mts';
import { namespaces } from '../lab/topology.mts';
import { bin, ensureDebianPackages, ensureNodeModules, log, PACKAGES, ROOT } from './lib/setup.mts';

interface Tally {
  passed: number;
  failed: number;
  /** What failed, with the first line of its error: printed again at the end, where a log's tail shows it. */
  failures?: string[];
}

const LAB_PREFIX = process.env.LABGATE_TEST_LAB_PREFIX ?? 'lgt-';
const SOAK = process.argv.includes('--soak');
// The soak's sizes (each overridable) and the test files it runs, by suite.
const SOAK_ENV = { LABGATE_FUZZ_RUNS: '10000', LABGATE_CRASH_TRIALS: '100', LABGATE_OUTAGE_SECONDS: '300' };
const only = (...files: string[]) => (SOAK ? files : []);
const results: { step: string; tally: Tally }[] = [];
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-reports-'));

/** Runs a command, in the lab's host namespace with the lab's environment when asked. */
function run(command: string, args: string[], opts: { env?: Record<string, string>; inLab?: boolean } = {}): boolean {
  const env = { ...(SOAK ? SOAK_ENV : {}), ...process.env, ...(opts.inLab ? labEnv(LAB_PREFIX) : {}), ...opts.env };
  const [cmd, argv] = opts.inLab ? ['ip', ['netns', 'exec', namespaces(LAB_PREFIX).host, command, ...args]] : [command, args];
  return spawnSync(cmd, argv, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env }).status === 0;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function record(step: string, ok: boolean): boolean {
  results.push({ step, tally: { passed: ok ? 1 : 0, failed: ok ? 0 : 1 } });
  return ok;
}

/** A step that is one check: it passes or fails as a whole. */
function check(step: string, command: string, args: string[]): boolean {
  log(`── ${step}`);
  return record(step, run(command, args));
}

/** A test runner's step, counted by test case from its JSON report (a missing report is one failure). */
function suite(
  step: string,
  command: string,
  args: string[],
  report: string,
  count: (json: unknown) => Tally | undefined,
  opts: Parameters<typeof run>[2] = {},
) {
  log(`── ${step}`);
  const ok = run(command, args, opts);
  const tally = count(readJson(report)) ?? { passed: 0, failed: 1 };
  if (!ok && tally.failed === 0) tally.failed = 1; // the runner failed outside any test case
  results.push({ step, tally });
}

const firstLine = (message: string | undefined) =>
  (message ?? '')
    .replace(/\x1b\[[0-9;]*m/g, '')
    .trim()
    .split('\n', 1)[0]
    ?.slice(0, 300) ?? '';

interface VitestReport {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

// A skipped, pending or to-do test counts as failed: nothing may drop out of "N passed" quietly.
const vitestCount = (json: unknown): Tally | undefined => {
  const r = json as VitestReport | undefined;
  if (r?.numPassedTests === undefined) return undefined;
  const failures = (r.testResults ?? []).flatMap((file) => {
    const where = path.relative(ROOT, file.name);
    const cases = file.assertionResults
      .filter((a) => a.status !== 'passed')
      .map((a) => `${where} › ${a.fullName} (${a.status}): ${firstLine(a.failureMessages?.[0])}`);
    return cases.length === 0 && file.status === 'failed' ? [`${where}: ${firstLine(file.message)}`] : cases;
  });
  return { passed: r.numPassedTests, failed: (r.numFailedTests ?? 0) + (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0), failures };
};

interface PlaywrightSuite {
  title: string;
  specs?: {
    title: string;
    file: string;
    line: number;
    tests: { projectName: string; status: string; results: { error?: { message?: string } }[] }[];
  }[];
  suites?: PlaywrightSuite[];
}

function playwrightFailures(suites: PlaywrightSuite[] = []): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).flatMap((spec) =>
      spec.tests
        .filter((t) => t.status !== 'expected')
        .map((t) => {
          const error = t.results.find((r) => r.error)?.error?.message;
          return `${spec.file}:${spec.line} › ${spec.title} [${t.projectName}] (${t.status}): ${firstLine(error)}`;
        }),
    ),
    ...playwrightFailures(suite.suites),
  ]);
}

const playwrightCount = (json: unknown): Tally | undefined => {
  const r = json as
    | {
        stats?: { expected: number; unexpected: number; flaky: number; skipped?: number };
        suites?: PlaywrightSuite[];
        errors?: { message?: string }[];
      }
    | undefined;
  const s = r?.stats;
  if (!s) return undefined;
  const failures = [...playwrightFailures(r.suites), ...(r.errors ?? []).map((e) => firstLine(e.message))];
  return { passed: s.expected, failed: s.unexpected + s.flaky + (s.skipped ?? 0), failures };
};

const vitest = (project: string, report: string) => [
  'run',
  '--project',
  project,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
];

async function timed<T>(step: string, work: () => Promise<T>): Promise<boolean> {
  log(`── ${step}`);
  const started = Date.now();
  try {
    await work();
    log(`${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return record(step, true);
  } catch (err) {
    log(`${step} failed: ${err instanceof Error ? err.message : String(err)}`);
    return record(step, false);
  }
}

async function main(): Promise<number> {
  ensureDebianPackages([...PACKAGES.browser, ...PACKAGES.tools, ...PACKAGES.deploy, ...LAB_PACKAGES, ...SYSTEM_PACKAGES]);
  ensureNodeModules();

  if (!SOAK) {
    check('typecheck', bin('tsc'), ['--noEmit']);
    check('lint', bin('eslint'), ['--max-warnings=0', '.']);
    check('format', bin('prettier'), ['--check', '--log-level=warn', '.']);
  }
  const unitReport = path.join(reports, 'unit.json');
  suite('unit tests', bin('vitest'), [...vitest('unit', unitReport), ...only('lib/fuzz.test.ts')], unitReport, vitestCount);
  const built = check('production build', process.execPath, [path.join(ROOT, 'scripts', 'build.mts')]);

  // Made out here, where Debian's and npm's registries can be reached; the install test boots it in the lab.
  if (!SOAK) await timed('Debian 12 root file system for the install test', async () => void ensureSystemRoot(log));
  const labReady = await timed(`lab up (prefix ${LAB_PREFIX})`, () => labUp(LAB_PREFIX, { log: (m) => log(`lab: ${m}`) }));
  try {
    if (labReady) {
      const labReport = path.join(reports, 'lab.json');
      suite(
        'lab tests (in the lab)',
        bin('vitest'),
        [...vitest('lab', labReport), ...only('fuzz.lab', 'crash.lab', 'concurrency.lab')],
        labReport,
        vitestCount,
        { inLab: true },
      );
    }
    if (labReady && built) {
      // Twice: one process as the demo runs it, then the two roles as the systemd units run them.
      for (const [shape, label] of [
        ['all', 'role all'],
        ['two-role', 'two roles over the socket, as the units run them'],
      ] as const) {
        const e2eReport = path.join(reports, `playwright-${shape}.json`);
        suite(
          `end-to-end tests (in the lab; ${label})`,
          bin('playwright'),
          ['test', '-c', 'e2e', '--reporter=list,json', ...only('outages')],
          e2eReport,
          playwrightCount,
          {
            inLab: true,
            env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport, LABGATE_E2E_SHAPE: shape },
          },
        );
      }
    } else {
      record('lab and end-to-end tests (not run: no lab or no build)', false);
    }
  } finally {
    await timed('lab down', () => labDown(LAB_PREFIX));
  }

  fs.rmSync(reports, { recursive: true, force: true });
  process.stdout.write('\n');
  for (const { step, tally } of results) {
    process.stdout.write(`  ${step}: ${tally.passed} passed, ${tally.failed} failed\n`);
    for (const failure of tally.failures ?? []) process.stdout.write(`    ✗ ${failure}\n`);
  }
  const total = results.reduce((t, r) => ({ passed: t.passed + r.tally.passed, failed: t.failed + r.tally.failed }), {
    passed: 0,
    failed: 0,
  });
  process.stdout.write(`\n${total.passed} passed, ${total.failed} failed\n`);
  return total.failed === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    log(err instanceof Error ? err.message : String(err));
    process.stdout.write('\n0 passed, 1 failed\n');
    process.exitCode = 1;
  },
);
