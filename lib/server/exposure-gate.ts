import 'server-only';
import { EXPOSURE_NAME, gate, type GateRequest } from '@/lib/auth/exposure-gate';
import { cookieAdmits, issueToken, redeemToken, SIGN_IN_PATH } from '@/lib/auth/exposure-sign-in';
import type { Session } from '@/lib/auth/session';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { hostClient } from '@/lib/host-api/client';
import type { Outcome } from '@/lib/result';
import { db } from '@/lib/store/db';

export type GateResponse =
  | { kind: 'refuse'; status: 400 | 401 | 403; message: string }
  | { kind: 'admit'; forwardedCookies: string }
  | { kind: 'sign-in'; location: string }
  | { kind: 'signed-in'; cookie: string; expiresAt: number; next: string };

/** The gate against the store: admits a live cookie, trades a token once, else sends the browser to sign in. */
export function answerGate(req: GateRequest): GateResponse {
  if (!EXPOSURE_NAME.test(req.name)) return { kind: 'refuse', status: 400, message: 'Not an exposure’s name.' };
  const answer = gate(req, (cookie) => cookieAdmits(db(), cookie, req.name));
  if (answer.kind === 'refuse') return { ...answer, status: 401 };
  if (answer.kind !== 'redeem') return answer;
  const redeemed = redeemToken(db(), answer.token, req.name);
  if (!redeemed)
    return {
      kind: 'refuse',
      status: 403,
      message: `This sign-in link was used already or is too old. Open https://${req.name}/ again.`,
    };
  return { kind: 'signed-in', ...redeemed };
}

/**
 * A signed-in person asks to open `name`: a one-time link to it when it is an exposure that signs
 * in with labgate (never an open redirect to any name), and the audit log's "opened", once per session.
 */
export async function linkToExposure(session: Session, name: string, next: string, client: string): Promise<Outcome<string>> {
  const forwards = await hostClient().listForwards();
  if (!forwards.ok) return forwards;
  if (!EXPOSURE_NAME.test(name) || !forwards.data.some((f) => f.requiresSignIn && f.lanName && mdnsName(f.lanName) === name))
    return { ok: false, status: 404, error: `${name.slice(0, 80)} is not an exposure that signs in with labgate.` };
  const { token, firstOpening } = issueToken(db(), session, name, next);
  if (firstOpening) {
    const res = await hostClient().record({ action: 'open', subject: name, detail: `signed in with labgate from ${client}`, result: 'ok' });
    if (!res.ok) console.error(`labgate: could not record an opening in the audit log: ${res.error}`);
  }
  return { ok: true, data: `https://${name}${SIGN_IN_PATH}?token=${token}` };
}
