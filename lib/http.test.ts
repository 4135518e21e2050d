import { describe, expect, it } from 'vitest';
import { clientKey, crossOriginReason, isHttps, readCookie } from './http';

describe('request helpers', () => {
  it.each([
    { name: 'no Origin, no Sec-Fetch-Site (a script, or an old client)', headers: { host: 'lab:3000' }, refused: /has no Origin header/ },
    { name: 'same origin', headers: { host: 'lab:3000', origin: 'http://lab:3000' }, refused: null },
    { name: 'Sec-Fetch-Site same-origin, no Origin', headers: { host: 'lab:3000', 'sec-fetch-site': 'same-origin' }, refused: null },
    { name: 'Sec-Fetch-Site cross-site', headers: { host: 'lab:3000', 'sec-fetch-site': 'cross-site' }, refused: /cross-site/ },
    {
      name: 'Sec-Fetch-Site same-site (a sibling host), Origin matching',
      headers: { host: 'lab:3000', origin: 'http://lab:3000', 'sec-fetch-site': 'same-site' },
      refused: /same-site/,
    },
    { name: 'other host', headers: { host: 'lab:3000', origin: 'http://evil.example' }, refused: /Cross-origin/ },
    {
      name: 'other host, Sec-Fetch-Site claiming same-origin',
      headers: { host: 'lab:3000', origin: 'http://evil.example', 'sec-fetch-site': 'same-origin' },
      refused: /Cross-origin/,
    },
    { name: 'other port', headers: { host: 'lab:3000', origin: 'http://lab:4000' }, refused: /Cross-origin/ },
    { name: 'opaque origin', headers: { host: 'lab:3000', origin: 'null' }, refused: /Cross-origin/ },
    { name: 'empty Origin', headers: { host: 'lab:3000', origin: '' }, refused: /Cross-origin/ },
    { name: 'behind a proxy', headers: { host: '127.0.0.1:3000', 'x-forwarded-host': 'lab', origin: 'https://lab' }, refused: null },
  ] as { name: string; headers: Record<string, string>; refused: RegExp | null }[])('crossOriginReason: $name', ({ headers, refused }) => {
    const reason = crossOriginReason(new Headers(headers));
    if (refused === null) expect(reason).toBeNull();
    else expect(reason).toMatch(refused);
  });

  it('reads one cookie among several', () => {
    const req = new Request('http://x/', { headers: { cookie: 'a=1; labgate_session=abc=; b=2' } });
    expect(readCookie(req, 'labgate_session')).toBe('abc=');
    expect(readCookie(req, 'missing')).toBeUndefined();
  });

  it("knows HTTPS from labgate's own server or the URL, never from a header an untrusted client sent", () => {
    expect(isHttps(new Headers(), 'https://lab/')).toBe(true);
    expect(isHttps(new Headers({ 'x-labgate-scheme': 'https' }))).toBe(true);
    expect(
      isHttps(new Headers({ 'x-labgate-scheme': 'http', 'x-labgate-remote-address': '192.168.50.10', 'x-forwarded-proto': 'https' })),
    ).toBe(false);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'https' }))).toBe(false);
    expect(isHttps(new Headers({ 'x-forwarded-proto': 'http' }), 'http://lab/')).toBe(false);
  });

  it("keys clients by the connection's address, never by a header the client chose", () => {
    expect(clientKey(new Headers({ 'x-labgate-remote-address': '192.168.50.66', 'x-forwarded-for': '192.168.50.10' }))).toBe(
      '192.168.50.66',
    );
    expect(clientKey(new Headers({ 'x-forwarded-for': '192.168.50.10' }))).toBe('unknown');
  });
});
