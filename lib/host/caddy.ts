import 'server-only';
import http from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { caddyConfig, type Site } from '@/lib/domain/network/caddy';

/** labgate's TLS terminator: Caddy, its own unit, driven through its admin API on a unix socket. */
export interface TlsProxy {
  /** Makes Caddy serve exactly these sites; null when it did, else why not. */
  sync(sites: readonly Site[]): Promise<string | null>;
}

function adminRequest(socket: string, method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // Caddy's admin API takes an empty Host on a unix socket (any other is refused: DNS rebinding).
    const req = http.request(
      { socketPath: socket, method, path, setHost: false, headers: { Host: '', 'Content-Type': 'application/json' }, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('Caddy did not answer within 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export class CaddyAdmin implements TlsProxy {
  private readonly socket: string;
  /** Caddy was seen serving no site: while none is wanted, syncs need not ask it again. */
  private emptyConfirmed = false;
  constructor(socket: string) {
    this.socket = socket;
  }

  async sync(sites: readonly Site[]): Promise<string | null> {
    if (!sites.length && this.emptyConfirmed) return null;
    const problem = await this.load(sites);
    this.emptyConfirmed = !sites.length && !problem;
    return problem;
  }

  private async load(sites: readonly Site[]): Promise<string | null> {
    const wanted = caddyConfig(this.socket, sites);
    try {
      const current = await adminRequest(this.socket, 'GET', '/config/');
      // Caddy restarted (its unit, a reboot) comes back with its bootstrap config: load ours again.
      if (current.status === 200 && isDeepStrictEqual(JSON.parse(current.text || 'null'), wanted)) return null;
      const res = await adminRequest(this.socket, 'POST', '/load', JSON.stringify(wanted));
      return res.status === 200 ? null : `Caddy refused the configuration (${res.status}): ${res.text.trim().slice(0, 300)}`;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!sites.length) return null; // no HTTPS exposure: Caddy need not run, nor be this role's to drive
      if (code === 'ENOENT' || code === 'ECONNREFUSED')
        return `Caddy is not running (no admin socket at ${this.socket}): systemctl enable --now labgate-caddy`;
      if (code === 'EACCES')
        return `labgate's host role may not open Caddy's admin socket ${this.socket}: it needs the group labgate-caddy (SupplementaryGroups= in its unit)`;
      return `Caddy's admin API: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}
