import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '@/lab/exec.mts';
import { startServer, type StartedServer } from '@/lab/server.mts';
import { DEFAULT_RATE_LIMIT } from '@/lib/auth/rate-limit';

// The production server's login as an attacker on the LAN meets it. Each client is its own
// loopback address (127.0.0.0/8 is all local), so the server sees them as different connections.
const password = randomBytes(12).toString('base64url');
const HEAP_MB = 192; // the test server's old-space limit: a flood that kept memory would crash it
let base = '';
let child: ChildProcess;
let stop: StartedServer['stop'] | undefined;
let dataDir = '';

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-login-'));
  const server = await startServer({
    env: {
      LABGATE_DATA_DIR: dataDir,
      LABGATE_ADMIN_PASSWORD: password,
      HOSTNAME: '0.0.0.0',
      LABGATE_HTTP: '1',
      NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}`,
    },
  });
  base = server.base;
  child = server.child;
  stop = server.stop;
});

afterAll(async () => {
  await stop?.('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** POST /api/auth/login from a given local address. */
function login(from: string, attempt: string, headers: Record<string, string> = {}): Promise<{ status: number; cookie: string | null }> {
  const body = JSON.stringify({ password: attempt });
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/auth/login`,
      {
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), origin: base, ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0] ?? null }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const rssKb = () => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {});

describe('login against guessing', () => {
  it('200 wrong passwords in 10 s with a different X-Forwarded-For each: 429 once the free attempts are used', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const started = Date.now();
      statuses.push((await login('127.0.0.2', `wrong-${i}`, { 'x-forwarded-for': `203.0.113.${i % 250}` })).status);
      await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - started))));
    }
    const free = DEFAULT_RATE_LIMIT.freeFailures;
    expect(statuses.slice(0, free)).toEqual(Array(free).fill(401));
    expect(statuses[free]).toBe(429);
    // Past the free ones, only one attempt per doubling wait (1 s, 2 s, 4 s, 8 s) in 10 s.
    console.log(`200 rotating-header attempts: ${JSON.stringify(tally(statuses))}`);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(free + 4);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  }, 60_000);

  it('400 concurrent wrong attempts: no more than the limit get a 401, no 500, memory bounded; the right password from another address still logs in', async () => {
    // The limit within a flood: the free attempts, then one more each time a doubling wait (1 s, 2 s, 4 s…)
    // has run out — a flood that takes the loaded server more than a second meets the backoff, not a leak.
    const limitWithin = (ms: number) => {
      let extra = 0;
      for (let k = 1; (2 ** k - 1) * DEFAULT_RATE_LIMIT.baseDelayMs <= ms; k++) extra++;
      return DEFAULT_RATE_LIMIT.freeFailures + extra;
    };
    const flood = async (from: string) => {
      const started = Date.now();
      const statuses = (await Promise.all(Array.from({ length: 400 }, (_, i) => login(from, `guess-${i}`)))).map((x) => x.status);
      return { statuses, limit: limitWithin(Date.now() - started) };
    };
    const [{ statuses, limit }, ok] = await Promise.all([flood('127.0.0.3'), login('127.0.0.4', password)]);
    // Memory is bounded: the server runs with a small fixed heap (see beforeAll) and takes flood after flood from ever more addresses.
    const rss: number[] = [];
    for (let i = 5; i < 10; i++) {
      const more = await flood(`127.0.0.${i}`);
      expect(more.statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(more.limit);
      rss.push(Math.round(rssKb() / 1024));
    }
    expect(child.exitCode).toBeNull();
    console.log(
      `400 concurrent attempts: ${JSON.stringify(tally(statuses))}; server RSS (MB) after each of 5 more floods: ${rss.join(', ')}`,
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(limit);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(400 - limit);
    expect(Math.max(...rss)).toBeLessThan(HEAP_MB * 3);
    // Flat once the heap has grown into its working size (the first flood's sample is still on that ramp).
    expect(rss.at(-1)! - rss[1]!).toBeLessThan(32);
    expect((await login('127.0.0.99', password)).status).toBe(200);
    expect(ok.status).toBe(200);
    expect(ok.cookie).toMatch(/^labgate_session=/);
  }, 240_000); // 2,400 logins, each on its own connection: minutes on a loaded 2-core machine
});

describe('DNS rebinding', () => {
  const curl = async (url: string, host: string, extra: string[] = []) => {
    const res = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-H', `Host: ${host}`, ...extra, `${base}${url}`]);
    return Number(res.stdout);
  };

  it("refuses a Host that is not labgate's before any handler runs, static files and the login included", async () => {
    const page = await (await fetch(`${base}/login`)).text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(page)?.[0];
    expect(asset).toBeTruthy();
    const port = new URL(base).port;
    for (const url of ['/', '/login', '/api/healthz', '/api/state/overview', asset!]) {
      expect(await curl(url, `rebind.example:${port}`)).toBe(421);
      expect(await curl(url, `192.168.50.99:${port}`)).toBe(421); // an address that is not this host's
    }
    expect(
      await curl('/api/auth/login', `rebind.example:${port}`, ['-H', 'content-type: application/json', '-d', JSON.stringify({ password })]),
    ).toBe(421);
    // Its own names and addresses answer.
    expect(await curl('/login', `127.0.0.1:${port}`)).toBe(200);
    expect(await curl('/login', `localhost:${port}`)).toBe(200);
    expect(await curl('/login', `${os.hostname()}.local:${port}`)).toBe(200);
    expect(await curl(asset!, `localhost:${port}`)).toBe(200);
  });
});
