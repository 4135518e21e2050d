import type { Site } from '@/lib/domain/network/caddy';
import { alternativeName, mdnsName } from '@/lib/domain/network/lan-names';
import type { Outcome } from '@/lib/result';
import type { TlsProxy } from '../caddy';
import type { LanNames } from '../lan-names';

/** A LAN where some names are already taken by other devices; records what labgate publishes. */
export class FakeLanNames implements LanNames {
  readonly published = new Map<string, string>();
  readonly taken: Set<string>;
  constructor(taken: string[] = []) {
    this.taken = new Set(taken);
  }
  async claim(label: string, address: string): Promise<Outcome<null>> {
    if (this.taken.has(label))
      return {
        ok: false,
        status: 409,
        error: `${mdnsName(label)} is already taken on the LAN by another device. Try ${mdnsName(alternativeName(label))}.`,
      };
    this.published.set(label, address);
    return { ok: true, data: null };
  }
  sync(wanted: ReadonlyMap<string, string>): void {
    this.published.clear();
    for (const [label, address] of wanted) if (!this.taken.has(label)) this.published.set(label, address);
  }
  stop(): void {
    this.published.clear();
  }
}

/** Caddy's side: the sites it was last given; `down` makes it unreachable. */
export class FakeTlsProxy implements TlsProxy {
  sites: readonly Site[] = [];
  down = false;
  async sync(sites: readonly Site[]): Promise<string | null> {
    if (this.down && sites.length) return 'Caddy is not running (no admin socket at /run/labgate-caddy/admin.sock)';
    this.sites = sites;
    return null;
  }
}
