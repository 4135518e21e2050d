import { NextResponse } from 'next/server';
import { logout } from '@/lib/server/login';
import { authenticateRequest, clearedSessionCookie, requestSessionId } from '@/lib/auth/request';
import { answered, isHttps } from '@/lib/http';

/** Ends the caller's session server-side and clears its cookie. */
export const POST = answered(async (req: Request) => {
  const auth = authenticateRequest(req);
  if (!auth.ok) return auth.response;
  logout(requestSessionId(req));
  const res = NextResponse.json({ ok: true });
  const cookie = clearedSessionCookie(isHttps(req.headers, req.url));
  res.cookies.set(cookie.name, cookie.value, cookie.options);
  return res;
});
