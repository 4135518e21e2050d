import { z } from 'zod';
import { toCsv } from '@/lib/domain/csv';
import { hostRoute, outcomeResponse } from '@/lib/host/route';

export const dynamic = 'force-dynamic';

/** The audit log as JSON, or `?format=csv` as a download. */
export const GET = hostRoute(async ({ host, req }) => {
  const entries = host.audit.list(10_000);
  if (new URL(req.url).searchParams.get('format') !== 'csv') return outcomeResponse({ ok: true, data: entries });
  const csv = toCsv(['when', 'who', 'what', 'on', 'detail', 'result'], entries.map((e) => [e.at, e.actor, e.action, e.subject, e.detail, e.result]));
  return new Response(csv, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="labgate-activity.csv"', 'cache-control': 'no-store' } });
});

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
