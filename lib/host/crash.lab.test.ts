import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '@/lab/exec.mts';
import { REPO } from '@/lab/paths.mts';
import { hostService } from './wiring';
import { hostStatus } from './testing/status';

const TRIALS = Number(process.env.LABGATE_CRASH_TRIALS ?? 10);

/** Starts the worker, lets it get going, and kills it with SIGKILL at a random moment. */
async function killMidway(): Promise<number> {
  // One process (no tsx wrapper in between), so SIGKILL hits the worker itself.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=react-server', path.join(REPO, 'lib/host/testing/crash-worker.ts')],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  );
  let progress = 0;
  child.stdout.on('data', (d: Buffer) => (progress += d.length));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the worker exited by itself (${code})`)));
    const started = setInterval(() => {
      if (progress >= 2) {
        clearInterval(started);
        setTimeout(resolve, 50 + Math.random() * 700);
      }
    }, 20);
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return progress;
}

describe('kill -9 during forward changes', () => {
  it(
    `leaves store and kernel in agreement after a restart (${TRIALS} trials)`,
    async () => {
      const host = await hostService();
      for (let trial = 0; trial < TRIALS; trial++) {
        const done = await killMidway();
        expect(done).toBeGreaterThan(0);
        // The restart: the reconciler's first sync.
        expect((await host.sync()).ok).toBe(true);
        const kernel = (await run('iptables-save', [])).stdout;
        const ids = host.list().map((f) => f.id);
        const inKernel = [...new Set([...kernel.matchAll(/labgate:([a-z0-9]+)/g)].map((m) => m[1]!))];
        expect(inKernel.sort()).toEqual([...ids].sort()); // no orphan rule, no lost forward
        for (const f of host.list()) expect(kernel).toContain(`--dport ${f.listenPort} -m comment --comment "labgate:${f.id}"`);
        expect((await hostStatus(host)).inSync).toBe(true);
        for (const f of host.list()) await host.remove(f.id, 'test');
      }
    },
    20_000 + TRIALS * 10_000,
  );
});
