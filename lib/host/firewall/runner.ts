import 'server-only';
import { execFile } from 'node:child_process';

/** The only binaries labgate runs for the firewall; which pair depends on the host's backend. */
export type Backend = 'nft' | 'legacy';
export type Tool = 'save' | 'restore' | 'iptables' | 'conntrack';
const BINARIES: Record<Backend, Record<Tool, string>> = {
  nft: { save: 'iptables-nft-save', restore: 'iptables-nft-restore', iptables: 'iptables-nft', conntrack: 'conntrack' },
  legacy: { save: 'iptables-legacy-save', restore: 'iptables-legacy-restore', iptables: 'iptables-legacy', conntrack: 'conntrack' },
};

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Injectable, so the firewall logic runs against a fake in unit tests and the kernel in the lab. */
export interface Runner {
  backend: Backend;
  run(tool: Tool, args: readonly string[], stdin?: string): Promise<RunResult>;
}

function exec(bin: string, args: readonly string[], stdin?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(bin, [...args], { timeout: 20_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : 127) : 0,
        stdout,
        stderr: e && typeof e.code === 'string' ? `${e.message}\n${stderr}` : stderr,
      });
    });
    child.stdin?.on('error', () => {}); // a tool that exits without reading its input
    child.stdin?.end(stdin ?? '');
  });
}

/**
 * The backend the host uses, chosen as Multipass chooses: legacy when the legacy tables hold
 * rules, else nf_tables.
 */
export async function detectBackend(): Promise<Backend> {
  const legacy = await exec(BINARIES.legacy.save, []);
  return legacy.code === 0 && /^-A /m.test(legacy.stdout) ? 'legacy' : 'nft';
}

export function execRunner(backend: Backend): Runner {
  return { backend, run: (tool, args, stdin) => exec(BINARIES[backend][tool], args, stdin) };
}
