// labgate's production server (`npm start` on the standalone build) started by a lab test, as the units run it.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { acceptedByMultipass } from './controls.mts';
import { run } from './exec.mts';
import { runtimeEnv } from './runtime-env.mts';
import { eventually } from './testing.mts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface StartedServer {
  base: string;
  child: ChildProcess;
  output: () => string;
  /** Signals the server and resolves once it has exited: nothing of it can still touch the kernel. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  return exited;
}

export interface ServerOptions {
  env: Record<string, string>;
  node?: string; // the node binary (a copy an unprivileged user can run)
  setpriv?: string[] | null; // run under setpriv with these arguments
  wrapper?: string[]; // a command that runs the server (an unshare into another mount namespace)
  scheme?: 'http' | 'https';
}

/**
 * Why an unprivileged user could not run the checkout (a folder on the way that others may not
 * enter, such as a 0700 home), or null: tests that start the server as one say so at once.
 */
export function unreadableByOthers(dir: string = ROOT): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o005) !== 0o005)
      return `${d} is not readable and enterable by other users (mode ${(fs.statSync(d).mode & 0o777).toString(8)}): put the checkout where an unprivileged user can read it`;
    if (d === path.dirname(d)) return null;
  }
}

/** Starts the built server (.next/standalone/start.mjs) on a random loopback port and waits for /api/healthz. The caller kills it. */
export async function startServer({
  env,
  node = process.execPath,
  setpriv = null,
  wrapper = [],
  scheme = 'http',
}: ServerOptions): Promise<StartedServer> {
  if (!fs.existsSync(path.join(ROOT, '.next', 'standalone', 'server.js')))
    throw new Error('no standalone build: run `npm run build` first');
  // As after `labgate multipass-auth`: the lab's Multipass daemon accepts the host side's identity.
  const prefix = env.LABGATE_LAB_PREFIX ?? process.env.LABGATE_LAB_PREFIX;
  if (prefix && env.LABGATE_DATA_DIR && fs.existsSync(env.LABGATE_DATA_DIR) && env.LABGATE_ROLE !== 'ui')
    await acceptedByMultipass(prefix, env.LABGATE_DATA_DIR);
  const port = String(4200 + Math.floor(Math.random() * 700));
  const cmd = [node, path.join(ROOT, '.next', 'standalone', 'start.mjs')];
  const [bin, ...args] = [...wrapper, ...(setpriv ? ['setpriv', ...setpriv, ...cmd] : cmd)];
  const child = spawn(bin!, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The lab's settings (LAN interface and address), without its PATH of stand-ins in a home dir.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: '127.0.0.1',
      PORT: port,
      NEXT_TELEMETRY_DISABLED: '1',
      ...runtimeEnv(ROOT),
      ...env,
    },
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // On every address or on loopback, loopback reaches it; on a unix socket, curl goes through that.
  const base = env.LABGATE_SOCKET ? `unix:${env.LABGATE_SOCKET}` : `${scheme}://127.0.0.1:${port}`;
  const health = env.LABGATE_SOCKET ? ['--unix-socket', env.LABGATE_SOCKET, 'http://localhost/api/healthz'] : [`${base}/api/healthz`];
  // A server that exits while starting fails the start at once, with what it printed.
  const exited = new Promise<never>((_, reject) =>
    child.once('close', (code, signal) => reject(new Error(`the server exited (${code ?? signal}): ${output}`))),
  );
  try {
    await Promise.race([
      eventually(`the server on ${base}`, async () => (await run('curl', ['-ksf', '--max-time', '1', ...health])).code === 0, 60_000),
      exited,
    ]);
  } catch (e) {
    await stopChild(child, 'SIGKILL');
    throw e;
  }
  return { base, child, output: () => output, stop: (signal) => stopChild(child, signal) };
}

/** A JSON request to a server's host API, with the host token. */
export async function hostApi(base: string, token: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** One request to a server on a unix socket (the host role's), with the host token unless none is given. */
export function socketRequest(
  socketPath: string,
  method: string,
  url: string,
  { token, body }: { token?: string; body?: unknown } = {},
): Promise<{ code: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath,
        method,
        path: url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, json: text ? (JSON.parse(text) as unknown) : null }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
