import 'server-only';
import { hostClient } from '@/lib/host-api/client';
import { csvDownload, outcomeResponse, problem, textResponse } from '@/lib/http';
import { AuditPage } from '@/lib/schemas/state';

/**
 * The browser's reads of host state, answered by the process that served its page through the
 * HostClient (in-process in role all, over HTTP to the host role in role ui): one error contract,
 * a problem answer with the host's own message.
 */
export const forwardsAnswer = async () => outcomeResponse(await hostClient().listForwards());
export const firewallAnswer = async () => outcomeResponse(await hostClient().status());
export const rulesAnswer = async () => textResponse(await hostClient().exportRules());

export async function auditAnswer(req: Request): Promise<Response> {
  const page = AuditPage.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!page.success) return problem(400, `Bad page: ${page.error.issues[0]?.path.join('.')} ${page.error.issues[0]?.message}`);
  if (page.data.format === 'json') return outcomeResponse(await hostClient().audit(page.data));
  const csv = await hostClient().auditCsv();
  return csv.ok ? csvDownload(csv.data) : problem(csv.status, csv.error);
}
