import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const session = vi.hoisted(() => ({ current: null as { key: string; expiresAt: number } | null }));
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('@/lib/auth/request', () => ({ currentSession: async () => session.current }));
vi.mock('next/headers', () => ({ headers: async () => request.headers }));
const { invalidInput, SESSION_ENDED, withSession } = await import('./action');

describe('withSession', () => {
  beforeEach(() => {
    session.current = null;
    request.headers = new Headers({ host: 'lab:3000', origin: 'https://lab:3000' });
  });

  it('runs nothing without a session, and the action with one', async () => {
    const work = vi.fn(async (n: number) => ({ ok: true as const, data: n * 2 }));
    const action = withSession(work);
    expect(await action(2)).toEqual(SESSION_ENDED);
    expect(work).not.toHaveBeenCalled();
    session.current = { key: 'k', expiresAt: Date.now() + 1000 };
    expect(await action(2)).toEqual({ ok: true, data: 4 });
  });

  it.each([
    { name: 'no Origin and no Sec-Fetch-Site', headers: { host: 'lab:3000' }, error: /has no Origin header/ },
    { name: 'another site', headers: { host: 'lab:3000', origin: 'https://evil.example' }, error: /Cross-origin/ },
    { name: 'Sec-Fetch-Site cross-site', headers: { host: 'lab:3000', 'sec-fetch-site': 'cross-site' }, error: /Cross-origin/ },
  ] as { name: string; headers: Record<string, string>; error: RegExp }[])(
    'a live session, but $name: refused, the action never runs',
    async ({ headers, error }) => {
      session.current = { key: 'k', expiresAt: Date.now() + 1000 };
      request.headers = new Headers(headers);
      const work = vi.fn(async () => ({ ok: true as const, data: null }));
      expect(await withSession(work)()).toEqual({ ok: false, error: expect.stringMatching(error) });
      expect(work).not.toHaveBeenCalled();
    },
  );
});

describe('invalidInput', () => {
  const Schema = z.object({
    name: z.string().min(1, 'Give it a name.'),
    target: z.object({ port: z.number({ error: 'A port.' }) }),
    nodePorts: z.record(z.string(), z.number({ error: 'A nodePort.' })),
  });
  it.each([
    { name: 'a top-level field', input: { name: '', target: { port: 1 }, nodePorts: {} }, want: { name: ['Give it a name.'] } },
    {
      name: 'a nested field keeps its whole path',
      input: { name: 'x', target: { port: 'x' }, nodePorts: {} },
      want: { 'target.port': ['A port.'] },
    },
    { name: 'a renamed field', input: { name: 'x', target: { port: 1 }, nodePorts: { 80: 'x' } }, want: { nodePort: ['A nodePort.'] } },
  ])('$name', ({ input, want }) => {
    const parsed = Schema.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success)
      expect(invalidInput(parsed.error, { nodePorts: 'nodePort' })).toEqual({
        ok: false,
        error: 'Check the highlighted fields.',
        fieldErrors: want,
      });
  });
});

describe('withSession, when the store fails', () => {
  beforeEach(() => {
    session.current = { key: 'k', expiresAt: Date.now() + 1000 };
    request.headers = new Headers({ host: 'lab:3000', origin: 'https://lab:3000' });
  });

  it.each([
    ['a full disk', 'SQLITE_FULL', 'is full: free some space; nothing was changed.'],
    ['a damaged store', 'SQLITE_CORRUPT', 'is damaged: restore it from a backup'],
  ])('%s: the store says why, as a result the form shows (what was typed stays)', async (_what, code, message) => {
    session.current = { key: 'k', expiresAt: Date.now() + 1000 };
    const work = async (): Promise<{ ok: true; data: null }> => {
      throw Object.assign(new Error('sqlite'), { code });
    };
    expect(await withSession(work)()).toEqual({ ok: false, error: expect.stringContaining(message) });
  });

  it('anything else is thrown on, never turned into a made-up message', async () => {
    session.current = { key: 'k', expiresAt: Date.now() + 1000 };
    const work = async (): Promise<{ ok: true; data: null }> => {
      throw new Error('a bug');
    };
    await expect(withSession(work)()).rejects.toThrow('a bug');
  });
});
