import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const session = vi.hoisted(() => ({ current: null as { key: string; expiresAt: number } | null }));
vi.mock('@/lib/auth/request', () => ({ currentSession: async () => session.current }));
const { invalidInput, SESSION_ENDED, withSession } = await import('./action');

describe('withSession', () => {
  beforeEach(() => (session.current = null));

  it('runs nothing without a session, and the action with one', async () => {
    const work = vi.fn(async (n: number) => ({ ok: true as const, data: n * 2 }));
    const action = withSession(work);
    expect(await action(2)).toEqual(SESSION_ENDED);
    expect(work).not.toHaveBeenCalled();
    session.current = { key: 'k', expiresAt: Date.now() + 1000 };
    expect(await action(2)).toEqual({ ok: true, data: 4 });
  });
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
