import { describe, expect, it } from 'vitest';
import { readBody } from './request-body';

const post = (body: string, type?: string) =>
  new Request('http://lab/api', { method: 'POST', body, headers: type ? { 'content-type': type } : {} });

describe('readBody', () => {
  it.each([
    { name: 'JSON', req: post('{"password":"x"}', 'application/json'), want: { ok: true, data: { password: 'x' } } },
    { name: 'JSON with charset', req: post('{"a":1}', 'application/json; charset=utf-8'), want: { ok: true, data: { a: 1 } } },
    { name: 'form', req: post('password=x&y=1', 'application/x-www-form-urlencoded'), want: { ok: true, data: { password: 'x', y: '1' } } },
    { name: 'broken JSON', req: post('{', 'application/json'), want: { ok: false, status: 400 } },
    { name: 'plain text', req: post('x', 'text/plain'), want: { ok: false, status: 415 } },
    { name: 'no type', req: post('x'), want: { ok: false, status: 415 } },
    { name: 'too large', req: post(JSON.stringify({ p: 'a'.repeat(70_000) }), 'application/json'), want: { ok: false, status: 413 } },
  ])('$name', async ({ req, want }) => expect(await readBody(req)).toMatchObject(want));

  it('stops reading a chunked body without Content-Length once it passes the cap', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode('a'.repeat(16 * 1024)));
      },
    });
    const req = new Request('http://lab/api', {
      method: 'POST',
      body: endless,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(await readBody(req)).toMatchObject({ ok: false, status: 413 });
    expect(pulled).toBeLessThan(10); // 64 KiB and a chunk, not the whole stream
  });
});
