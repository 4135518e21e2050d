import 'server-only';
import type { Outcome } from '@/lib/result';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a small JSON or urlencoded body into a plain object for a schema to check.
 * Anything else is a clear 4xx, never a 500.
 */
export async function readBody(req: Request): Promise<Outcome<unknown>> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    return { ok: false, status: 415, error: 'Send application/json or application/x-www-form-urlencoded.' };
  }
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) {
    return { ok: false, status: 413, error: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.` };
  }
  let text: string;
  try {
    text = await req.text();
  } catch {
    return { ok: false, status: 400, error: 'The request body could not be read.' };
  }
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return { ok: false, status: 413, error: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.` };
  }
  if (type === 'application/x-www-form-urlencoded') return { ok: true, data: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, error: 'The request body is not valid JSON.' };
  }
}
