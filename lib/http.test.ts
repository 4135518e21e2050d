import { describe, expect, it } from 'vitest';
import { clientKey, isCrossOrigin, isHttps, readCookie } from './http';

describe('request helpers', () => {
  it.each([
    { name: 'no Origin', headers: { host: 'lab:3000' }, cross: false },
    { name: 'same origin', headers: { host: 'lab:3000', origin: 'http://lab:3000' }, cross: false },
    { name: 'other host', headers: { host: 'lab:3000', origin: 'http://evil.example' }, cross: true },
    { name: 'other port', headers: { host: 'lab:3000', origin: 'http://lab:4000' }, cross: true },
    { name: 'opaque origin', headers: { host: 'lab:3000', origin: 'null' }, cross: true },
    { name: 'behind a proxy', headers: { host: '127.0.0.1:3000', 'x-forwarded-host': 'lab', origin: 'https://lab' }, cross: false },
  ])('isCrossOrigin: $name → $cross', ({ headers, cross }) =>
    expect(isCrossOrigin(new Headers(headers as Record<string, string>))).toBe(cross),
  );

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
