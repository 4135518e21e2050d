import { hostRoute, outcomeResponse } from '@/lib/host/route';
import { problem } from '@/lib/http';
import { JournalPut } from '@/lib/schemas/host';

export const dynamic = 'force-dynamic';

export const GET = hostRoute(async ({ host, req }) => {
  const operation = new URL(req.url).searchParams.get('operation') ?? undefined;
  if (operation !== undefined && !/^[a-z.]{1,40}$/.test(operation)) return problem(400, 'Bad operation name.');
  return outcomeResponse({ ok: true, data: host.journal.list(operation) });
});

export const POST = hostRoute(async ({ host, body }) => {
  const input = await body();
  if (!input.ok) return outcomeResponse(input);
  const entry = JournalPut.safeParse(input.data);
  if (!entry.success) return problem(400, entry.error.issues[0]?.message ?? 'Bad journal entry.');
  host.journal.put({ ...entry.data, steps: entry.data.steps ?? null });
  return outcomeResponse({ ok: true, data: null });
});
