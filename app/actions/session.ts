'use server';

import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { login as openSession, logout as closeSession } from '@/lib/server/login';
import { actionSessionId, clearedSessionCookie, sessionCookie } from '@/lib/auth/request';
import { safeNextPath } from '@/lib/auth/next-path';
import { clientKey, isHttps } from '@/lib/http';
import type { ActionResult } from '@/lib/result';
import { crossOriginAction, storeFailureResult } from '@/lib/server/action';

export async function login(_prev: ActionResult | null, form: FormData): Promise<ActionResult> {
  const refused = await crossOriginAction();
  if (refused) return refused;
  const h = await headers();
  let result: Awaited<ReturnType<typeof openSession>>;
  try {
    result = await openSession({ password: form.get('password') ?? undefined }, clientKey(h), await actionSessionId());
  } catch (e) {
    return storeFailureResult(e);
  }
  if (!result.ok) return { ok: false, error: result.error, fieldErrors: result.fieldErrors };
  const cookie = sessionCookie(result.data.id, result.data.expiresAt, isHttps(h));
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
  redirect(safeNextPath(form.get('next')));
}

export async function logout(): Promise<void> {
  if (await crossOriginAction()) return; // another site may not log the admin out
  try {
    closeSession(await actionSessionId());
  } catch (e) {
    // The cookie goes all the same; the session itself ends at its expiry.
    const failed = storeFailureResult(e);
    console.error(`labgate: a session could not be ended: ${failed.ok ? '' : failed.error}`);
  }
  const cookie = clearedSessionCookie(isHttps(await headers()));
  (await cookies()).set(cookie.name, cookie.value, cookie.options);
  redirect('/login');
}
