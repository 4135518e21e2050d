// `npm test`: installs what is missing, then typecheck, lint, unit and integration tests,
// the production build and the end-to-end tests; ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bin, ensureDebianPackages, ensureNodeModules, log, PACKAGES, ROOT } from './lib/setup.mts';

interface Tally {
  passed: number;
  failed: number;
}

const results: { step: string; tally: Tally }[] = [];
const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-reports-'));

function run(command: string, args: string[], env: Record<string, string> = {}): boolean {
  const res = spawnSync(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });
  return res.status === 0;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A step that is one check: it passes or fails as a whole. */
function check(step: string, command: string, args: string[]): boolean {
  log(`── ${step}`);
  const ok = run(command, args);
  results.push({ step, tally: { passed: ok ? 1 : 0, failed: ok ? 0 : 1 } });
  return ok;
}

/** A test runner's step, counted by test case from its JSON report (a missing report is one failure). */
function suite(step: string, command: string, args: string[], report: string, count: (json: unknown) => Tally | undefined, env: Record<string, string> = {}) {
  log(`── ${step}`);
  const ok = run(command, args, env);
  const tally = count(readJson(report)) ?? { passed: 0, failed: 1 };
  if (!ok && tally.failed === 0) tally.failed = 1; // the runner failed outside any test case
  results.push({ step, tally });
}

const vitestCount = (json: unknown): Tally | undefined => {
  const r = json as { numPassedTests?: number; numFailedTests?: number } | undefined;
  return r?.numPassedTests === undefined ? undefined : { passed: r.numPassedTests, failed: r.numFailedTests ?? 0 };
};

const playwrightCount = (json: unknown): Tally | undefined => {
  const s = (json as { stats?: { expected: number; unexpected: number; flaky: number } } | undefined)?.stats;
  return s ? { passed: s.expected, failed: s.unexpected + s.flaky } : undefined;
};

function main(): number {
  ensureDebianPackages([...PACKAGES.browser, ...PACKAGES.tools]);
  ensureNodeModules();

  check('typecheck', bin('tsc'), ['--noEmit']);
  check('lint', bin('eslint'), ['--max-warnings=0', '.']);

  const vitestReport = path.join(reports, 'vitest.json');
  suite('unit and integration tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`], vitestReport, vitestCount);

  const built = check('production build', bin('next'), ['build']);
  const e2eReport = path.join(reports, 'playwright.json');
  if (built) {
    suite('end-to-end tests', bin('playwright'), ['test', '-c', 'e2e', '--reporter=list,json'], e2eReport, playwrightCount, {
      PLAYWRIGHT_JSON_OUTPUT_NAME: e2eReport,
    });
  } else {
    results.push({ step: 'end-to-end tests (not run: no build)', tally: { passed: 0, failed: 1 } });
  }

  fs.rmSync(reports, { recursive: true, force: true });
  process.stdout.write('\n');
  for (const { step, tally } of results) process.stdout.write(`  ${step}: ${tally.passed} passed, ${tally.failed} failed\n`);
  const total = results.reduce((t, r) => ({ passed: t.passed + r.tally.passed, failed: t.failed + r.tally.failed }), { passed: 0, failed: 0 });
  process.stdout.write(`\n${total.passed} passed, ${total.failed} failed\n`);
  return total.failed === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  log(err instanceof Error ? err.message : String(err));
  process.stdout.write('\n0 passed, 1 failed\n');
  process.exitCode = 1;
}
