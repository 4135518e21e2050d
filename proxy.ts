import { NextResponse, type NextRequest } from 'next/server';
import { SESSION_COOKIE } from '@/lib/auth/session';

/** Paths anyone may reach. Everything else needs a session. */
const PUBLIC = new Set(['/login', '/api/healthz', '/api/auth/login']);

/**
 * A fast first gate: no session cookie, no page (redirect) and no API (401). It only looks
 * for the cookie; pages, actions and route handlers check the session itself.
 */
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  if (PUBLIC.has(pathname) || req.cookies.has(SESSION_COOKIE)) return NextResponse.next();
  // The UI role calls the host API with its bearer token; the handler checks it.
  if (pathname.startsWith('/api/host/') && req.headers.has('authorization')) return NextResponse.next();
  if (pathname.startsWith('/api/')) {
    return NextResponse.json({ error: 'Log in first: no valid session.' }, { status: 401 });
  }
  const login = new URL('/login', req.url);
  if (pathname !== '/') login.searchParams.set('next', pathname + search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico|.*\\.(?:png|svg|ico|txt)$).*)'],
};
