import { auditCsv } from '@/lib/domain/csv';
import { env } from '@/lib/env';
import { hostRoute, outcomeResponse } from '@/lib/host/route';
import { csvDownload } from '@/lib/http';
import { AuditRecord } from '@/lib/schemas/host';
import { AuditPage } from '@/lib/schemas/state';

export const dynamic = 'force-dynamic';

/** The audit log, newest first: a page as JSON (`?limit=&before=<id>`), or all of it as a CSV download (`?format=csv`). */
export const GET = hostRoute(async ({ host, req }) => {
  const page = AuditPage.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!page.success)
    return outcomeResponse({
      ok: false,
      status: 400,
      error: `Bad page: ${page.error.issues[0]?.path.join('.')} ${page.error.issues[0]?.message}`,
    });
  if (page.data.format === 'json') return outcomeResponse({ ok: true, data: host.auditLog.list(page.data) });
  return csvDownload(auditCsv(host.auditLog.list({ limit: env().auditRetention.maxEntries })));
});

/** The UI role records its Kubernetes changes here, so one log has everything. */
export const POST = hostRoute(async ({ host, actor, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  const entry = AuditRecord.safeParse(input.data);
  if (!entry.success) return outcomeResponse({ ok: false, status: 400, error: entry.error.issues[0]?.message ?? 'Bad audit entry.' });
  host.auditLog.record({ ...entry.data, actor });
  return outcomeResponse({ ok: true, data: null }, 201);
});
