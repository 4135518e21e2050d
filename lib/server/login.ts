import 'server-only';
import { ConcurrencyLimit } from '@/lib/concurrency';
import { hostClient } from '@/lib/host-api/client';
import type { Outcome } from '@/lib/result';
import { fieldErrorsOf } from '@/lib/schemas/errors';
import { Login } from '@/lib/schemas/session';
import { env } from '@/lib/env';
import { db } from '@/lib/store/db';
import { verifyAdminPassword } from '@/lib/auth/admin';
import { LoginRateLimiter } from '@/lib/auth/rate-limit';
import { createSession, deleteSession } from '@/lib/auth/session';
import { processSingleton } from '@/lib/process-wide';

const limiter = processSingleton('loginLimiter', () => new LoginRateLimiter());
// scrypt takes ~50 ms and 32 MiB each: two at once keep a flood of logins from taking the host's CPU and memory.
const hashing = processSingleton('passwordHashing', () => new ConcurrencyLimit(2));

/** Logins go to the one audit log; a log that cannot be written is reported, and the login stands. */
async function audit(client: string, result: string): Promise<void> {
  const res = await hostClient().record({ action: 'login', subject: client, detail: '', result });
  if (!res.ok) console.error(`labgate: could not record a login in the audit log: ${res.error}`);
}

/**
 * Checks the password and opens a session, ending the one it replaces (the cookie the browser
 * sent). Shared by the login action and POST /api/auth/login.
 */
export async function login(input: unknown, client: string, replacing?: string): Promise<Outcome<{ id: string; expiresAt: number }>> {
  const parsed = Login.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    return { ok: false, status: 400, error: fieldErrors.password?.[0] ?? 'Enter the password.', fieldErrors };
  }
  const decision = limiter().attempt(client);
  if (!decision.allowed) {
    const seconds = Math.ceil(decision.retryAfterMs / 1000);
    return {
      ok: false,
      status: 429,
      error: `Too many failed logins. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      retryAfterMs: decision.retryAfterMs,
    };
  }
  if (!(await hashing().run(() => verifyAdminPassword(db(), parsed.data.password)))) {
    await audit(client, 'Wrong password.');
    return { ok: false, status: 401, error: 'Wrong password.' };
  }
  limiter().succeeded(client);
  if (replacing) deleteSession(db(), replacing);
  await audit(client, 'ok');
  return { ok: true, data: createSession(db(), env().sessionTtlMs) };
}

export function logout(sessionId: string | undefined): void {
  if (sessionId) deleteSession(db(), sessionId);
}
