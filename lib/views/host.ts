import 'server-only';
import { hostClient } from '@/lib/host/client';
import { csvDownload, problem } from '@/lib/http';
import type { Outcome } from '@/lib/result';
import { AuditPage } from '@/lib/schemas/state';

/**
 * The browser's reads of host state, answered by the process that served its page through the
 * HostClient (in-process in role all, over HTTP to the host role in role ui): one error contract,
 * a problem answer with the host's own message.
 */
const answer = <T>(res: Outcome<T>, asText = false): Response =>
  !res.ok
    ? problem(res.status, res.error)
    : asText
      ? new Response(String(res.data), { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })
      : Response.json(res.data, { headers: { 'cache-control': 'no-store' } });

export const forwardsAnswer = async () => answer(await hostClient().listForwards());
export const firewallAnswer = async () => answer(await hostClient().status());
export const rulesAnswer = async () => answer(await hostClient().exportRules(), true);

export async function auditAnswer(req: Request): Promise<Response> {
  const page = AuditPage.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!page.success) return problem(400, `Bad page: ${page.error.issues[0]?.path.join('.')} ${page.error.issues[0]?.message}`);
  if (page.data.format === 'json') return answer(await hostClient().audit(page.data));
  const csv = await hostClient().auditCsv();
  return csv.ok ? csvDownload(csv.data) : problem(csv.status, csv.error);
}
