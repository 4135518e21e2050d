import 'server-only';
import { clientAddress, isTrustedProxy, REMOTE_ADDRESS_HEADER, SCHEME_HEADER } from '@/lib/domain/network/client-address';
import { isIpv4 } from '@/lib/domain/network/networks';
import { env } from '@/lib/env';
import type { Outcome } from '@/lib/result';
import { noteStoreFailure, storeFailure } from '@/lib/store/failure';

/** A JSON error answer: `{ error, ...extra }` with the given status. */
export function problem(status: number, error: string, extra: Record<string, unknown> = {}, headers?: HeadersInit) {
  return Response.json({ error, ...extra }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** The activity log's CSV as a download. */
export const csvDownload = (csv: string) =>
  new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="labgate-activity.csv"',
      'cache-control': 'no-store',
    },
  });

/** Reads one cookie from a request's Cookie header. */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * True when the request reached us over HTTPS: labgate's own server says so (it stamps the
 * scheme of the connection), or a trusted proxy in front of it does.
 */
export function isHttps(headers: Headers, url?: string): boolean {
  if (headers.get(SCHEME_HEADER) === 'https' || url?.startsWith('https:') === true) return true;
  const remote = headers.get(REMOTE_ADDRESS_HEADER);
  return (
    !!remote && isTrustedProxy(remote, env().trustedProxies) && headers.get('x-forwarded-proto')?.split(',').at(-1)?.trim() === 'https'
  );
}

/** The client's address as the connection shows it (X-Forwarded-For only from LABGATE_TRUSTED_PROXIES), used to key rate limits. */
export function clientKey(headers: Headers): string {
  return clientAddress(headers.get(REMOTE_ADDRESS_HEADER), headers.get('x-forwarded-for'), env().trustedProxies);
}

/** The IPv4 address of the device that sent the request, for an access rule "only this device"; null when not IPv4. */
export function deviceAddress(headers: Headers): string | null {
  const address = clientKey(headers);
  return isIpv4(address) ? address : null;
}

/**
 * Why a change may not have come from one of labgate's own pages, or null when it did. A browser
 * sends Sec-Fetch-Site on every request and Origin on every POST; a change that carries neither
 * is refused rather than trusted (scripts send `Origin: <the dashboard's URL>`).
 */
export function crossOriginReason(headers: Headers): string | null {
  const site = headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin') return `Cross-origin request refused (Sec-Fetch-Site: ${site.slice(0, 20)}).`;
  const origin = headers.get('origin');
  if (origin === null) {
    return site === 'same-origin' ? null : "Refused: a change must come from labgate's own pages, and this request has no Origin header.";
  }
  const host = headers.get('x-forwarded-host') ?? headers.get('host');
  try {
    return new URL(origin).host === host ? null : 'Cross-origin request refused.';
  } catch {
    return 'Cross-origin request refused.';
  }
}

/** An Outcome as a response: the data, or `{ error, fieldErrors }` with its status. */
export function outcomeResponse<T>(result: Outcome<T>, okStatus = 200): Response {
  if (result.ok) return Response.json(result.data, { status: okStatus, headers: { 'cache-control': 'no-store' } });
  return problem(result.status, result.error, result.fieldErrors ? { fieldErrors: result.fieldErrors } : {});
}

/** An Outcome of text (the rules view) as a plain-text response, or its problem. */
export const textResponse = (result: Outcome<string>): Response =>
  result.ok
    ? new Response(result.data, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } })
    : outcomeResponse(result);

/**
 * What a thrown error answers: a store that fails names its cause and what to do (507 full, 503
 * otherwise); anything else is a 500 that still says what failed. Never an empty 500.
 */
export function failureResponse(e: unknown): Response {
  const store = storeFailure(e, env().dataDir);
  if (store) {
    noteStoreFailure(store);
    return problem(store.status, store.message);
  }
  const message = e instanceof Error ? e.message : String(e);
  console.error(`labgate: a request failed: ${e instanceof Error ? (e.stack ?? message) : message}`);
  return problem(500, `labgate could not answer this request: ${message.slice(0, 300)}`);
}

/** A route handler that always answers in words, whatever it throws (see failureResponse). */
export function answered<A extends unknown[]>(handler: (...args: A) => Response | Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (e) {
      return failureResponse(e);
    }
  };
}
