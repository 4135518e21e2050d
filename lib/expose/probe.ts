import 'server-only';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { env } from '@/lib/env';
import { tlsFiles } from '@/lib/tls/certificates.mts';

/** Tries until one attempt succeeds or the deadline passes, a quarter second apart. */
async function triedUntil(deadlineMs: number, attempt: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (await attempt()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Whether the URL answers: a TCP connection to the host's LAN address and port, from the host, within the deadline. */
export function answers(address: string, port: number, deadlineMs = 10_000): Promise<boolean> {
  return triedUntil(
    deadlineMs,
    () =>
      new Promise<boolean>((resolve) => {
        const sock = net.connect({ host: address, port, timeout: 1_000 });
        sock.once('connect', () => (sock.destroy(), resolve(true)));
        sock.once('error', () => resolve(false));
        sock.once('timeout', () => (sock.destroy(), resolve(false)));
      }),
  );
}

/**
 * Whether https://NAME/ answers through Caddy at the host's LAN address with a certificate for
 * NAME from labgate's CA (what a device that trusts the CA will check), within the deadline.
 */
export function answersHttps(address: string, name: string, deadlineMs = 10_000): Promise<boolean> {
  const ca = fs.readFileSync(tlsFiles(env().dataDir).caCert, 'utf8');
  return triedUntil(
    deadlineMs,
    () =>
      new Promise<boolean>((resolve) => {
        const req = https.request(
          {
            host: address,
            port: 443,
            path: '/',
            headers: { Host: name },
            servername: name,
            ca,
            checkServerIdentity: (_host, cert) => tls.checkServerIdentity(name, cert),
            timeout: 2_000,
          },
          (res) => (res.resume(), resolve((res.statusCode ?? 500) < 500)),
        );
        req.once('error', () => resolve(false));
        req.once('timeout', () => req.destroy());
        req.end();
      }),
  );
}
