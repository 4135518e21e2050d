import 'server-only';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { connectFailure, type ProbeResult } from '@/lib/domain/forwards/health';
import { env } from '@/lib/env';
import { tlsFiles } from '@/lib/tls/certificates.mts';

// How labgate asks whether something answers, from the host: the Expose verification tries these
// until one answers, the health monitor (./health) probes each forward with them.

export const PROBE_TIMEOUT_MS = 2_000;
const HTTP_STATUS = /^HTTP\/\d(?:\.\d)? (\d{3})/;

const elapsed = (start: bigint) => Math.max(0, Math.round(Number(process.hrtime.bigint() - start) / 1e6));

interface TcpProbe {
  target?: string; // where the connection really goes (the DNAT's destination), for the reason when it fails
  timeoutMs?: number;
  askHttp?: boolean; // send a HEAD and count an HTTP server error as down; otherwise up at the connect
}

/** One TCP probe of ADDRESS:PORT: up once it connects, unless asked to and the port answers a HEAD with a server error. */
export function probeTcp(
  address: string,
  port: number,
  { target = `${address}:${port}`, timeoutMs = PROBE_TIMEOUT_MS, askHttp = true }: TcpProbe = {},
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    let responseMs: number | null = null;
    const sock = net.connect({ host: address, port });
    const done = (r: ProbeResult) => (sock.destroy(), clearTimeout(timer), resolve(r));
    const timer = setTimeout(
      () =>
        done(
          responseMs === null
            ? { up: false, responseMs: null, reason: connectFailure('TIMEOUT', target, timeoutMs) }
            : { up: true, responseMs, reason: null },
        ),
      timeoutMs,
    );
    sock.once('connect', () => {
      responseMs = elapsed(start);
      if (!askHttp) return done({ up: true, responseMs, reason: null });
      sock.write(`HEAD / HTTP/1.0\r\nHost: ${address}:${port}\r\nUser-Agent: labgate-health\r\n\r\n`);
    });
    // The first bytes decide: an HTTP server error is down, anything else that connected is up.
    sock.once('data', (chunk: Buffer) => {
      const status = Number(HTTP_STATUS.exec(chunk.toString('latin1', 0, 64))?.[1] ?? 0);
      done(status >= 500 ? { up: false, responseMs, reason: `HTTP ${status} from ${target}` } : { up: true, responseMs, reason: null });
    });
    sock.once('end', () => done({ up: true, responseMs, reason: null }));
    sock.once('error', (e: NodeJS.ErrnoException) =>
      done(
        responseMs === null
          ? { up: false, responseMs: null, reason: connectFailure(e.code, target, timeoutMs) }
          : { up: true, responseMs, reason: null },
      ),
    );
  });
}

/**
 * One HTTPS probe of https://NAME/ through Caddy at the host's LAN address, with a certificate
 * for NAME from labgate's CA (what a device that trusts the CA checks): up below a 5xx.
 */
export function probeHttps(address: string, name: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const ca = fs.readFileSync(tlsFiles(env().dataDir).caCert, 'utf8');
  const url = `https://${name}/`;
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const req = https.request(
      {
        host: address,
        port: 443,
        path: '/',
        headers: { Host: name, 'User-Agent': 'labgate-health' },
        servername: name,
        ca,
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 500;
        resolve(
          status < 500
            ? { up: true, responseMs: elapsed(start), reason: null }
            : { up: false, responseMs: elapsed(start), reason: `HTTP ${status} from ${url}` },
        );
      },
    );
    req.once('error', (e: NodeJS.ErrnoException) =>
      resolve({
        up: false,
        responseMs: null,
        reason:
          e.code?.startsWith('ERR_TLS') || e.code?.includes('CERT')
            ? `${url}: ${e.message}`
            : connectFailure(e.code, `${address}:443`, timeoutMs),
      }),
    );
    req.once('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.end();
  });
}

/** Tries until one attempt answers or the deadline passes, a quarter second apart. */
async function triedUntil(deadlineMs: number, attempt: () => Promise<ProbeResult>): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if ((await attempt()).up) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Whether the host's LAN address and port answer from the host within the deadline (Expose's verification). */
export const answers = (address: string, port: number, deadlineMs = 10_000) =>
  triedUntil(deadlineMs, () => probeTcp(address, port, { timeoutMs: 1_000, askHttp: false }));

/** Whether https://NAME/ answers through Caddy with labgate's certificate within the deadline. */
export const answersHttps = (address: string, name: string, deadlineMs = 10_000) => triedUntil(deadlineMs, () => probeHttps(address, name));
