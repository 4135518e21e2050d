import { NextResponse } from 'next/server';
import { login } from '@/lib/server/login';
import { requestSessionId, sessionCookie } from '@/lib/auth/request';
import { answered, clientKey, crossOriginReason, isHttps, problem } from '@/lib/http';
import { readBody } from '@/lib/request-body';

/** Logs in with `{ password }` as JSON or a urlencoded form; sets the session cookie. */
export const POST = answered(async (req: Request) => {
  const crossOrigin = crossOriginReason(req.headers);
  if (crossOrigin) return problem(403, crossOrigin);
  const body = await readBody(req);
  if (!body.ok) return problem(body.status, body.error);
  const result = await login(body.data, clientKey(req.headers), requestSessionId(req));
  if (!result.ok) {
    const retry = result.retryAfterMs ? { 'retry-after': String(Math.ceil(result.retryAfterMs / 1000)) } : undefined;
    return problem(result.status, result.error, result.fieldErrors ? { fieldErrors: result.fieldErrors } : {}, retry);
  }
  const res = NextResponse.json({ ok: true, expiresAt: new Date(result.data.expiresAt).toISOString() });
  const cookie = sessionCookie(result.data.id, result.data.expiresAt, isHttps(req.headers, req.url));
  res.cookies.set(cookie.name, cookie.value, cookie.options);
  return res;
});
