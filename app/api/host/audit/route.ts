import { z } from 'zod';
import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(async ({ host }) => outcomeResponse({ ok: true, data: host.audit.list() }));

const Entry = z.object({ actor: z.string().max(64), action: z.string().regex(/^[a-z.]{1,40}$/), subject: z.string().max(300), detail: z.string().max(2000), result: z.string().max(2000) });

/** The UI role records its Kubernetes changes here, so one log has everything. */
export const POST = hostRoute(async ({ host, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  const entry = Entry.safeParse(input.data);
  if (!entry.success) return outcomeResponse({ ok: false, status: 400, error: entry.error.issues[0]?.message ?? 'Bad audit entry.' });
  host.audit.record(entry.data);
  return outcomeResponse({ ok: true, data: null }, 201);
});
