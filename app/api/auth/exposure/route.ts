import { NextResponse } from 'next/server';
import { FORWARDED_COOKIE } from '@/lib/domain/network/caddy';
import { EXPOSURE_COOKIE } from '@/lib/auth/exposure-sign-in';
import { answerGate } from '@/lib/server/exposure-gate';
import { answered, isHttps } from '@/lib/http';
import { REMOTE_ADDRESS_HEADER, normalizeAddress } from '@/lib/domain/network/client-address';
import { knownHosts } from '@/lib/server/known-hosts';

const text = (status: number, body: string) =>
  new NextResponse(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * Caddy's forward_auth for an exposure with "Sign in with labgate": asked about every request
 * to that name, by Caddy on this host only (the connection's own address is one of the host's).
 */
export const GET = answered(async (req: Request) => {
  const peer = normalizeAddress(req.headers.get(REMOTE_ADDRESS_HEADER) ?? '');
  if (!knownHosts().addresses.includes(peer)) return text(403, 'Only labgate’s TLS terminator on this host asks here.');
  const answer = answerGate({
    name: new URL(req.url).searchParams.get('name') ?? '',
    method: req.headers.get('x-forwarded-method') ?? 'GET',
    uri: req.headers.get('x-forwarded-uri') ?? '/',
    cookieHeader: req.headers.get('cookie') ?? '',
    dashboard: `${isHttps(req.headers, req.url) ? 'https' : 'http'}://${req.headers.get('host')}`,
  });
  switch (answer.kind) {
    case 'refuse':
      return text(answer.status, answer.message);
    case 'admit':
      return new NextResponse(null, {
        status: 204,
        headers: answer.forwardedCookies
          ? { [FORWARDED_COOKIE.header]: answer.forwardedCookies, [FORWARDED_COOKIE.kept]: 'yes' }
          : { [FORWARDED_COOKIE.kept]: 'no' },
      });
    case 'sign-in':
      return new NextResponse(null, { status: 302, headers: { location: answer.location, 'cache-control': 'no-store' } });
    case 'signed-in': {
      const res = new NextResponse(null, { status: 302, headers: { location: answer.next, 'cache-control': 'no-store' } });
      res.cookies.set(EXPOSURE_COOKIE, answer.cookie, {
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        path: '/',
        expires: new Date(answer.expiresAt),
      });
      return res;
    }
  }
});
