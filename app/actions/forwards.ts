'use server';

import { headers } from 'next/headers';
import { hostClient } from '@/lib/host-api/client';
import { deviceAddress } from '@/lib/http';
import type { ForwardView } from '@/lib/wire';
import type { ActionResult } from '@/lib/result';
import { finished, invalidInput, withSession } from '@/lib/server/action';
import { readForwardForm } from '@/lib/schemas/forward-form';
import { AdoptRule, CreateForward, ForwardId, UpdateForward } from '@/lib/schemas/forwards';
import type { SiteTls } from '@/lib/schemas/names';
import { HTTPS_NEEDS_NAME } from '@/lib/domain/network/lan-names';
import { siteCertificate } from '@/lib/tls/site';

// Each action parses its schema, then asks the host; the host checks the input again (it is an API too).

const device = async () => deviceAddress(await headers());

/**
 * On an edit, "HTTPS" ticked: a certificate for the forward's name from labgate's CA, made here
 * (the CA's key never leaves this role); unticked: plain HTTP again.
 */
async function tlsFor(lanName: string | null | undefined, https: boolean): Promise<{ tls: SiteTls | null }> {
  return { tls: https && lanName ? await siteCertificate(lanName) : null };
}

export const createForward = withSession(
  async (_prev: ActionResult<ForwardView> | null, form: FormData): Promise<ActionResult<ForwardView>> => {
    const parsed = CreateForward.safeParse(readForwardForm(form, await device()));
    if (!parsed.success) return invalidInput(parsed.error);
    const https = form.get('https') === 'on';
    if (https && !parsed.data.lanName) return { ok: false, error: HTTPS_NEEDS_NAME, fieldErrors: { lanName: [HTTPS_NEEDS_NAME] } };
    const tls = https && parsed.data.lanName ? { tls: await siteCertificate(parsed.data.lanName) } : {};
    return finished(await hostClient().createForward({ ...parsed.data, ...tls }));
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
    const https = form.get('https') === 'on';
    if (https && !parsed.data.lanName) return { ok: false, error: HTTPS_NEEDS_NAME, fieldErrors: { lanName: [HTTPS_NEEDS_NAME] } };
    return finished(await hostClient().updateForward({ ...parsed.data, ...(await tlsFor(parsed.data.lanName, https)) }));
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
