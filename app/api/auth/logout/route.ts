import { NextResponse } from 'next/server';
import { logout } from '@/lib/auth/login';
import { authenticateRequest, clearedSessionCookie } from '@/lib/auth/request';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { isHttps, readCookie } from '@/lib/http';

/** Ends the caller's session server-side and clears its cookie. */
export async function POST(req: Request) {
  const auth = authenticateRequest(req);
  if (!auth.ok) return auth.response;
  logout(readCookie(req, SESSION_COOKIE));
  const res = NextResponse.json({ ok: true });
  const cookie = clearedSessionCookie(isHttps(req.headers, req.url));
  res.cookies.set(cookie.name, cookie.value, cookie.options);
  return res;
}
