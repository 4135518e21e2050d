import { describe, expect, it } from 'vitest';
import { lanUrl, type UrlParts } from './lan-url';

describe('lanUrl', () => {
  const web: UrlParts = { protocol: 'tcp', listenPort: 3000 };
  it.each<[string, UrlParts, string | null, string | null]>([
    ['by address', web, '192.168.50.27', 'http://192.168.50.27:3000/'],
    ['no address known', web, null, null],
    ['by name, plain HTTP: the port stays', { ...web, lanName: 'grafana' }, '192.168.50.27', 'http://grafana.local:3000/'],
    ['by name, HTTPS: Caddy on 443', { ...web, lanName: 'grafana', https: true }, '192.168.50.27', 'https://grafana.local/'],
    ['by name with no address: the name is the URL', { ...web, lanName: 'grafana', https: true }, null, 'https://grafana.local/'],
    ['UDP: no URL', { protocol: 'udp', listenPort: 53 }, '192.168.50.27', null],
    ['UDP with a name: still none', { protocol: 'udp', listenPort: 53, lanName: 'dns' }, '192.168.50.27', null],
  ])('%s', (_what, parts, address, want) => {
    expect(lanUrl(parts, address)).toBe(want);
  });
});
