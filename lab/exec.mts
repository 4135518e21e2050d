// Running commands for the lab: fixed binaries, argument arrays, no shell.
import { execFile, spawnSync } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(
  cmd: string,
  args: readonly string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.on('error', () => {}); // a command that exits without reading its input
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs a command and throws with its stderr when it fails. */
export async function must(cmd: string, args: readonly string[], opts: Parameters<typeof run>[2] = {}): Promise<string> {
  const res = await run(cmd, args, opts);
  if (res.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  return res.stdout;
}

/** The same command inside a network namespace. */
export const inNs = (ns: string, cmd: string, args: readonly string[]) => ['ip', ['netns', 'exec', ns, cmd, ...args]] as const;

/** The network namespace this process runs in, by name, or null for one without a name (the root). */
export function currentNetns(): string | null {
  const res = spawnSync('ip', ['netns', 'identify', String(process.pid)], { encoding: 'utf8' });
  const name = res.status === 0 ? res.stdout.trim() : '';
  return name || null;
}

/**
 * Lab addresses are the reference lab's real ones: from the root namespace they lead off the
 * machine. Anything that sends traffic to them calls this first.
 */
export function assertInLabNamespace(prefix: string): string {
  const ns = currentNetns();
  if (!ns || !ns.startsWith(prefix)) {
    throw new Error(
      `refusing to run outside the lab: this process is in ${ns ? `namespace "${ns}"` : 'the root network namespace'}, ` +
        `and lab addresses reached from there lead off this machine. Run it with: ip netns exec ${prefix}host …`,
    );
  }
  return ns;
}
