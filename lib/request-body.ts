import 'server-only';
import type { Outcome } from '@/lib/result';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The body as text, read chunk by chunk and given up on as soon as it passes `max` bytes, so a
 * chunked body without Content-Length (or one that lies) never gets buffered whole.
 */
async function readCapped(req: Request, max: number): Promise<string | 'too large' | null> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        return 'too large';
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

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
  const read = await readCapped(req, MAX_BODY_BYTES);
  if (read === 'too large') return { ok: false, status: 413, error: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.` };
  if (read === null) return { ok: false, status: 400, error: 'The request body could not be read.' };
  const text = read;
  if (type === 'application/x-www-form-urlencoded') return { ok: true, data: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, status: 400, error: 'The request body is not valid JSON.' };
  }
}
