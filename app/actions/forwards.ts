'use server';

import { headers } from 'next/headers';
import { hostClient } from '@/lib/host-api/client';
import { deviceAddress } from '@/lib/http';
import type { ForwardView } from '@/lib/wire';
import type { ActionResult } from '@/lib/result';
import { finished, invalidInput, withSession } from '@/lib/server/action';
import { readForwardForm } from '@/lib/schemas/forward-form';
import { AdoptRule, CreateForward, ForwardId, UpdateForward } from '@/lib/schemas/forwards';
import type { SignIn, SiteTls } from '@/lib/schemas/names';
import { HTTPS_NEEDS_NAME, SIGN_IN_NEEDS_HTTPS } from '@/lib/domain/network/lan-names';
import { signInVia, siteCertificate } from '@/lib/tls/site';

// Each action parses its schema, then asks the host; the host checks the input again (it is an API too).

const device = async () => deviceAddress(await headers());

/**
 * "HTTPS" ticked: a certificate for the forward's name from labgate's CA, made here (the CA's key
 * never leaves this role), and "Sign in with labgate" ticked: how this dashboard signs people in.
 * Unticked on an edit: plain HTTP, no sign-in again. What is ticked but cannot be: the action's refusal.
 */
async function httpsFor(
  form: FormData,
  lanName: string | null | undefined,
): Promise<{ tls: SiteTls | null; signIn: SignIn | null } | ActionResult<never>> {
  const https = form.get('https') === 'on';
  const signIn = form.get('signIn') === 'on';
  const refuse = (field: string, error: string) => ({ ok: false as const, error, fieldErrors: { [field]: [error] } });
  if (https && !lanName) return refuse('lanName', HTTPS_NEEDS_NAME);
  if (signIn && !https) return refuse('signIn', SIGN_IN_NEEDS_HTTPS);
  return { tls: https && lanName ? await siteCertificate(lanName) : null, signIn: signIn ? await signInVia() : null };
}

export const createForward = withSession(
  async (_prev: ActionResult<ForwardView> | null, form: FormData): Promise<ActionResult<ForwardView>> => {
    const parsed = CreateForward.safeParse(readForwardForm(form, await device()));
    if (!parsed.success) return invalidInput(parsed.error);
    const https = await httpsFor(form, parsed.data.lanName);
    if ('ok' in https) return https;
    return finished(
      await hostClient().createForward({
        ...parsed.data,
        ...(https.tls ? { tls: https.tls } : {}),
        ...(https.signIn ? { signIn: https.signIn } : {}),
      }),
    );
  },
);

/** Changes a forward: the same form, its id with it; the host re-checks and re-points it in one step. */
export const editForward = withSession(
  async (_prev: ActionResult<ForwardView> | null, form: FormData): Promise<ActionResult<ForwardView>> => {
    const fields = readForwardForm(form, await device()) as { lanName?: string; allowFrom?: string[] };
    // An emptied name takes the name away (and HTTPS with it); "everyone on the LAN" takes an access rule away.
    const parsed = UpdateForward.safeParse({
      id: form.get('id'),
      ...fields,
      lanName: fields.lanName ?? null,
      allowFrom: fields.allowFrom ?? null,
    });
    if (!parsed.success) return invalidInput(parsed.error);
    const https = await httpsFor(form, parsed.data.lanName);
    if ('ok' in https) return https;
    return finished(await hostClient().updateForward({ ...parsed.data, ...https }));
  },
);

export const deleteForward = withSession(async (id: string): Promise<ActionResult<{ id: string }>> => {
  const parsed = ForwardId.safeParse(id);
  if (!parsed.success) return invalidInput(parsed.error);
  return finished(await hostClient().deleteForward(parsed.data));
});

/** `widen`: the person saw what the hand-made rules restrict and confirmed that labgate's forward takes more. */
export const adoptForward = withSession(async (ruleKey: string, widen: boolean): Promise<ActionResult<ForwardView>> => {
  const parsed = AdoptRule.safeParse({ ruleKey, confirm: true, ...(widen ? { widen: true } : {}) });
  if (!parsed.success) return invalidInput(parsed.error);
  return finished(await hostClient().adopt(parsed.data));
});
