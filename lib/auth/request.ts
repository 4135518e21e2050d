import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { crossOriginReason, isHttps, problem, readCookie } from '@/lib/http';
import { db } from '@/lib/store/db';
import { readSession, sessionCookieName, type Session } from './session';

/** The session id the browser sent for a page or action, under the cookie name of the request's scheme. */
export async function actionSessionId(): Promise<string | undefined> {
  return (await cookies()).get(sessionCookieName(isHttps(await headers())))?.value;
}

/** The same for a route handler's request. */
export const requestSessionId = (req: Request): string | undefined => readCookie(req, sessionCookieName(isHttps(req.headers, req.url)));

/** The proxy only checks that a cookie is present; every page, action and handler checks it here. */
export async function currentSession(): Promise<Session | null> {
  return readSession(db(), await actionSessionId());
}

/** For pages and layouts: the session, or a redirect to the login page. */
export async function requireSession(): Promise<Session> {
  const session = await currentSession();
  if (!session) redirect('/login');
  return session;
}

export type RequestAuth = { ok: true; session: Session } | { ok: false; response: Response };

/** For route handlers: a live session cookie, and for changes, a same-origin request. */
export function authenticateRequest(req: Request): RequestAuth {
  const mutating = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
  const crossOrigin = mutating ? crossOriginReason(req.headers) : null;
  if (crossOrigin) return { ok: false, response: problem(403, crossOrigin) };
  const session = readSession(db(), requestSessionId(req));
  if (!session) return { ok: false, response: problem(401, 'Log in first: no valid session.') };
  return { ok: true, session };
}

export interface SessionCookie {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/'; expires: Date };
}

export function sessionCookie(id: string, expiresAt: number, secure: boolean): SessionCookie {
  return {
    name: sessionCookieName(secure),
    value: id,
    options: { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: new Date(expiresAt) },
  };
}

export const clearedSessionCookie = (secure: boolean): SessionCookie => sessionCookie('', 0, secure);

export async function requestIsHttps(): Promise<boolean> {
  return isHttps(await headers());
}
