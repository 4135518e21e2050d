import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { hostAllowed } from '@/lib/domain/network/hosts';
import { EXPOSURE_AUTH_PATH } from '@/lib/domain/network/caddy';
import { env } from '@/lib/env';
import { knownHosts } from '@/lib/server/known-hosts';

/** Paths anyone may reach (/metrics* check their own token, the exposure gate its caller). Everything else needs a session. */
const PUBLIC = new Set(['/login', '/api/healthz', '/api/auth/login', EXPOSURE_AUTH_PATH, '/api/tls/ca', '/metrics', '/metrics/host']);

/**
 * A page may run only the scripts Next gives this nonce; no framing, no plugins. Inline style
 * attributes stay allowed (the topology picture positions its nodes with them).
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const HOST_ROLE_PATHS = /^\/api\/host\/|^\/api\/healthz$|^\/metrics$/;

/** Next's own build output: the same for everyone, no session needed. */
const STATIC = /^\/_next\/(static|image)\/|^\/favicon\.ico$|\.(?:png|svg|ico|txt)$/;

/**
 * A fast first gate, before any handler: a Host that is not labgate's is refused (421: DNS
 * rebinding); no session cookie, no page (redirect) and no API (401). It only looks for the
 * cookie; pages, actions and route handlers check the session itself. It also gives every page
 * its CSP nonce.
 */
export function proxy(req: NextRequest) {
  if (!hostAllowed(req.headers.get('host'), knownHosts())) {
    return new NextResponse('labgate answers only to its own names and addresses (set LABGATE_ALLOWED_HOSTS for another name).\n', {
      status: 421,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  const { pathname, search } = req.nextUrl;
  // The host role is an API, not a second dashboard: its host API, health and metrics only.
  if (env().role === 'host' && !HOST_ROLE_PATHS.test(pathname)) {
    return NextResponse.json(
      { error: 'Not here: this is the host role, which serves /api/host/*, /api/healthz and /metrics only.' },
      { status: 404 },
    );
  }
  if (STATIC.test(pathname)) return NextResponse.next();
  const allowed =
    PUBLIC.has(pathname) ||
    req.cookies.has(SESSION_COOKIE.secure) ||
    req.cookies.has(SESSION_COOKIE.plain) ||
    // The UI role calls the host API with its bearer token; the handler checks it.
    (pathname.startsWith('/api/host/') && req.headers.has('authorization'));
  if (!allowed) {
    if (pathname.startsWith('/api/')) return NextResponse.json({ error: 'Log in first: no valid session.' }, { status: 401 });
    const login = new URL('/login', req.url);
    if (pathname !== '/') login.searchParams.set('next', pathname + search);
    return NextResponse.redirect(login);
  }
  if (pathname.startsWith('/api/')) return NextResponse.next();
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce);
  const headers = new Headers(req.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp); // Next reads it to put the nonce on its scripts
  const res = NextResponse.next({ request: { headers } });
  res.headers.set('content-security-policy', csp);
  return res;
}

// Every request, static files included: the Host check comes first for all of them.
export const config = {
  matcher: ['/:path*'],
};
