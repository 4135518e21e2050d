// Helpers for tests that run inside the lab (the host namespace) and look at it from other hosts.
import { binary } from './build.mts';
import { run } from './exec.mts';
import { labPaths } from './paths.mts';
import { LAN, namespaces } from './topology.mts';

export const labPrefix = (): string => {
  const prefix = process.env.LABGATE_LAB_PREFIX;
  if (!prefix) throw new Error('LABGATE_LAB_PREFIX is not set');
  return prefix;
};

/**
 * A second device on the LAN beside the laptop: LAN.phone, a second address in the LAN namespace
 * that curl sends from (`--interface`). Returns how to take it away again.
 */
export async function lanDevice(): Promise<() => Promise<void>> {
  const addr = (verb: string) => run('ip', ['-n', namespaces(labPrefix()).lan, 'addr', verb, `${LAN.phone}/24`, 'dev', 'eth0']);
  await addr('add');
  return async () => void (await addr('del'));
}

/** curl from one of the lab's hosts ("lan", "host", "node1", …): body and whether it answered. */
export async function curlFrom(host: string, url: string, extra: string[] = []): Promise<{ ok: boolean; body: string }> {
  const ns = host === 'lan' || host === 'host' ? namespaces(labPrefix())[host] : namespaces(labPrefix()).vm(host);
  const res = await run('ip', ['netns', 'exec', ns, 'curl', '-sS', '--max-time', '3', ...extra, url]);
  return { ok: res.code === 0, body: res.stdout };
}

export async function kubectlJson<T>(args: string[]): Promise<T> {
  const res = await run(binary('kubectl'), [`--kubeconfig=${labPaths(labPrefix()).adminKubeconfig}`, ...args, '-o', 'json']);
  if (res.code !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as T;
}

export async function kubectl(args: string[], input?: string): Promise<string> {
  const res = await run(
    binary('kubectl'),
    [`--kubeconfig=${labPaths(labPrefix()).adminKubeconfig}`, ...args],
    input === undefined ? {} : { input },
  );
  if (res.code !== 0) throw new Error(res.stderr);
  return res.stdout;
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until)
      throw new Error(`timed out after ${timeoutMs / 1000} s: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** iptables in the lab's host namespace (the test process runs there). */
export const iptables = (...args: string[]) => run('iptables', ['--wait', ...args]);

/** The host namespace's whole rule set without the dated header and the packet counters, which change by themselves. */
export const ruleset = async (): Promise<string> =>
  (await run('iptables-save', [])).stdout
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
