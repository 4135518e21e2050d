import { mdnsName } from './lan-names';

/** What a forward's LAN URL is made of. */
export interface UrlParts {
  protocol: 'tcp' | 'udp';
  listenPort: number;
  lanName?: string | null;
  https?: boolean;
}

/**
 * Where a forward is reached from the LAN, the one way labgate writes it: by its name when it
 * has one (https://NAME.local/ behind Caddy, else http://NAME.local:PORT/), else at the address
 * it takes traffic on. None for UDP, which no browser opens, or when no address is known.
 */
export function lanUrl(f: UrlParts, address: string | null): string | null {
  if (f.protocol !== 'tcp') return null;
  if (f.lanName) return f.https ? `https://${mdnsName(f.lanName)}/` : `http://${mdnsName(f.lanName)}:${f.listenPort}/`;
  return address ? `http://${address}:${f.listenPort}/` : null;
}
