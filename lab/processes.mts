// The lab's long-running processes: started detached (they outlive `lab up`), each with a
// log and a pid file, and stopped by that pid only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { run } from './exec.mts';

export interface ProcessSpec {
  name: string; // also the log and pid file name
  ns: string | null; // network namespace, or null for the root (only the demo's forwarder)
  cmd: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function startProcess(spec: ProcessSpec, dirs: { logs: string; pids: string }): number {
  fs.mkdirSync(dirs.logs, { recursive: true });
  fs.mkdirSync(dirs.pids, { recursive: true });
  const log = fs.openSync(path.join(dirs.logs, `${spec.name}.log`), 'a');
  const [cmd, args] = spec.ns ? ['ip', ['netns', 'exec', spec.ns, spec.cmd, ...spec.args]] : [spec.cmd, spec.args];
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log], env: spec.env ?? process.env, cwd: spec.cwd });
  fs.closeSync(log);
  if (!child.pid) throw new Error(`could not start ${spec.name}`);
  child.unref();
  fs.writeFileSync(path.join(dirs.pids, `${spec.name}.pid`), String(child.pid));
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readPid(pids: string, name: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(pids, `${name}.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** Stops one process by its pid: TERM, then KILL after a grace period. */
export async function stopPid(pid: number, graceMs = 5_000): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (await waitGone(pid, graceMs)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  await waitGone(pid, 2_000);
}

export async function stopProcess(name: string, pids: string, graceMs?: number): Promise<boolean> {
  const pid = readPid(pids, name);
  fs.rmSync(path.join(pids, `${name}.pid`), { force: true });
  if (pid === null || !isAlive(pid)) return false;
  await stopPid(pid, graceMs);
  return true;
}

/** Every process still inside a lab namespace: all of them are the lab's own. */
export async function pidsInNamespace(ns: string): Promise<number[]> {
  const res = await run('ip', ['netns', 'pids', ns]);
  return res.code === 0 ? res.stdout.split('\n').filter(Boolean).map(Number) : [];
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > until) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
