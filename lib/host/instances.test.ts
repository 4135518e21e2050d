import { describe, expect, it } from 'vitest';
import { MultipassError } from '@/lib/multipass/errors.mts';
import type { InstanceChange } from '@/lib/schemas/instances';
import { InstanceControl } from './instances';

function control(fail?: MultipassError) {
  const calls: InstanceChange[] = [];
  const audit: { action: string; subject: string; detail: string; result: string }[] = [];
  const c = new InstanceControl({
    daemon: async () => ({
      lifecycle: async (_name, change) => {
        if (fail) throw fail;
        calls.push(change);
      },
    }),
    audit: ({ action, subject, detail, result }) => void audit.push({ action, subject, detail, result }),
    refresh: async () => [{ name: 'ops', state: calls.at(-1)?.action === 'stop' ? 'Delayed Shutdown' : 'Running' } as never],
  });
  return { c, calls, audit };
}

describe('InstanceControl', () => {
  it.each([
    { input: { instance: 'ops', action: 'stop', delayMinutes: 5 }, message: 'ops stops in 5 minutes.', detail: 'in 5 min' },
    { input: { instance: 'ops', action: 'restart' }, message: 'ops restarted.', detail: '' },
    { input: { instance: 'ops', action: 'delete', purge: true }, message: 'ops deleted and purged.', detail: 'purge' },
  ])('asks the daemon for $input.action, says so and records it', async ({ input, message, detail }) => {
    const { c, calls, audit } = control();
    const res = await c.change(input, 'admin');
    expect(res).toMatchObject({ ok: true, data: { instance: 'ops', action: input.action, message } });
    expect(calls).toEqual([input]);
    expect(audit).toEqual([{ action: `instance.${input.action}`, subject: 'ops', detail, result: 'ok' }]);
  });

  it('bad input reaches neither the daemon nor the audit log', async () => {
    const { c, calls, audit } = control();
    const res = await c.change({ instance: 'ops', action: 'stop', delayMinutes: -3 }, 'admin');
    expect(res).toMatchObject({ ok: false, status: 400, fieldErrors: { delayMinutes: [expect.any(String)] } });
    expect([calls, audit]).toEqual([[], []]);
  });

  it.each([
    { error: new MultipassError('refused', 'Multipass refused: instance "ops" is not running.'), status: 409 },
    { error: new MultipassError('daemon-down', 'The Multipass daemon is not running.'), status: 503 },
    { error: new MultipassError('timeout', 'Multipass did not answer within 330 s.'), status: 504 },
  ])('the daemon’s $error.kind is said as it said it ($status), and recorded', async ({ error, status }) => {
    const { c, audit } = control(error);
    expect(await c.change({ instance: 'ops', action: 'restart' }, 'admin')).toEqual({ ok: false, status, error: error.message });
    expect(audit).toEqual([{ action: 'instance.restart', subject: 'ops', detail: '', result: error.message }]);
  });
});
