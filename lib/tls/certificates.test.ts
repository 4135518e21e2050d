import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTls, renewalDue } from './certificates.mts';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-tls-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });
const names = { dns: ['labhost', 'labhost.local', 'localhost'], ips: ['192.168.50.27', '127.0.0.1'] };

describe("labgate's own CA and server certificate", () => {
  it('makes a CA and a server certificate it signed, for every name and address, that openssl verifies', async () => {
    const t = await ensureTls(tmp(), names);
    expect(t).toMatchObject({ createdCa: true, issued: true });
    expect(openssl('verify', '-CAfile', t.caCert, t.cert).trim()).toBe(`${t.cert}: OK`);
    const text = openssl('x509', '-in', t.cert, '-noout', '-ext', 'subjectAltName,extendedKeyUsage,basicConstraints');
    for (const n of [
      'DNS:labhost',
      'DNS:labhost.local',
      'DNS:localhost',
      'IP Address:192.168.50.27',
      'IP Address:127.0.0.1',
      'TLS Web Server Authentication',
      'CA:FALSE',
    ])
      expect(text).toContain(n);
    expect(openssl('x509', '-in', t.caCert, '-noout', '-ext', 'basicConstraints')).toMatch(/CA:TRUE, pathlen:0/);
    expect(fs.statSync(t.caKey).mode & 0o777).toBe(0o600);
    expect(fs.statSync(t.key).mode & 0o777).toBe(0o600);
  });

  it('keeps both at the next start; re-issues only the server certificate when the host gains an address or it nears its end', async () => {
    const dir = tmp();
    const first = await ensureTls(dir, names);
    const ca = fs.readFileSync(first.caCert, 'utf8');
    const cert = fs.readFileSync(first.cert, 'utf8');
    expect(await ensureTls(dir, names)).toMatchObject({ createdCa: false, issued: false });
    expect(fs.readFileSync(first.cert, 'utf8')).toBe(cert);
    const moved = await ensureTls(dir, { ...names, ips: [...names.ips, '192.168.50.99'] });
    expect(moved).toMatchObject({ createdCa: false, issued: true });
    expect(fs.readFileSync(first.caCert, 'utf8')).toBe(ca);
    expect(openssl('x509', '-in', first.cert, '-noout', '-ext', 'subjectAltName')).toContain('192.168.50.99');
    expect(await ensureTls(dir, names, new Date(Date.now() + 380 * 86_400_000))).toMatchObject({ issued: true });
  });

  it('serves HTTPS that a client trusting only the CA accepts', async () => {
    const t = await ensureTls(tmp(), names);
    const server = https.createServer({ cert: fs.readFileSync(t.cert), key: fs.readFileSync(t.key) }, (_q, r) => r.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca: fs.readFileSync(t.caCert) }, (res) => {
            let b = '';
            res.on('data', (d: Buffer) => (b += d.toString()));
            res.on('end', () => resolve(b));
          })
          .on('error', reject);
      });
      expect(body).toBe('hello');
    } finally {
      server.close();
    }
  });
});

describe('renewalDue', () => {
  const now = new Date('2027-01-01T00:00:00Z');
  it.each([
    ['397 days left', '2028-02-02T00:00:00Z', false],
    ['31 days left', '2027-02-01T00:00:00Z', false],
    ['30 days left to the second', '2027-01-31T00:00:00Z', true],
    ['a day left', '2027-01-02T00:00:00Z', true],
    ['ended yesterday', '2026-12-31T00:00:00Z', true],
  ])('%s: %s → %s', (_, validTo, due) => {
    expect(renewalDue(validTo, now)).toBe(due);
  });
});
