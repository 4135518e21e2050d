import { describe, expect, it } from 'vitest';
import { MultipassError } from '@/lib/multipass/errors.mts';
import type { InstanceChange } from '@/lib/schemas/instances';
import { InstanceControl } from './instances';

function control(fail?: MultipassError) {
  const calls: InstanceChange[] = [];
  let release: () => void = () => {};
  const audit: { action: string; subject: string; detail: string; result: string }[] = [];
  const c = new InstanceControl({
    daemon: async () => ({
      lifecycle: async (_name, change) => {
        if (fail) throw fail;
        calls.push(change);
      },
      find: async () => [],
      // A launch the daemon takes: two steps, then the end once `release` is called.
      launch: async (spec, onStep) => {
        if (fail) throw fail;
        onStep({ phase: 'message', text: `Creating ${spec.name}`, percent: null });
        onStep({ phase: 'download', text: 'Downloading the image', percent: 40 });
        await new Promise<void>((resolve) => (release = resolve));
        return spec.name;
      },
    }),
    audit: ({ action, subject, detail, result }) => void audit.push({ action, subject, detail, result }),
    refresh: async () => [{ name: 'ops', state: calls.at(-1)?.action === 'stop' ? 'Delayed Shutdown' : 'Running' } as never],
  });
  return { c, calls, audit, release: () => release() };
}

const LAUNCH = { name: 'worker1', image: 'noble', cpus: 2, memory: '2G', disk: '10G', cloudInit: '' };

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

describe('InstanceControl.launch', () => {
  it('answers once the daemon has taken the launch, then follows it to its end and records it', async () => {
    const { c, audit, release } = control();
    const res = await c.launch(LAUNCH, 'admin');
    expect(res).toMatchObject({ ok: true, data: { name: 'worker1', outcome: 'running', step: { phase: 'download', percent: 40 } } });
    expect(c.launches().map((l) => l.outcome)).toEqual(['running']);
    expect(await c.launch(LAUNCH, 'admin')).toMatchObject({
      ok: false,
      status: 409,
      fieldErrors: { name: ['worker1 is being launched already.'] },
    });
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(c.launches()).toMatchObject([{ name: 'worker1', outcome: 'launched', finishedAt: expect.any(String) }]);
    expect(audit).toEqual([{ action: 'instance.launch', subject: 'worker1', detail: 'noble, 2 CPU, 2G, 10G', result: 'ok' }]);
  });

  it('puts each of the daemon’s LaunchError codes on its field, and follows nothing', async () => {
    const refused = new MultipassError('refused', 'Multipass refused: Invalid arguments supplied.', [
      'INVALID_MEM_SIZE',
      'INVALID_HOSTNAME',
    ]);
    const { c, audit } = control(refused);
    const res = await c.launch({ ...LAUNCH, memory: '64M', name: 'worker-' }, 'admin');
    expect(res).toEqual({
      ok: false,
      status: 400,
      error: refused.message,
      fieldErrors: {
        memory: ['Multipass does not take 64M as memory: at least 128M, such as 2G.'],
        name: ['Multipass does not take worker- as a name: letters, digits and -, starting with a letter and not ending with -.'],
      },
    });
    expect(c.launches()).toEqual([]);
    expect(audit.map((a) => a.result)).toEqual([refused.message]);
  });

  it.each([
    { input: { ...LAUNCH, cpus: 0 }, field: 'cpus' },
    { input: { ...LAUNCH, memory: 'lots' }, field: 'memory' },
    { input: { ...LAUNCH, image: '../etc' }, field: 'image' },
    { input: { ...LAUNCH, cloudInit: 'x'.repeat(70_000) }, field: 'cloudInit' },
    { input: { ...LAUNCH, extra: 1 }, field: '' },
  ])('refuses bad input ($field) before the daemon hears of it', async ({ input }) => {
    const { c, audit } = control();
    expect(await c.launch(input, 'admin')).toMatchObject({ ok: false, status: 400 });
    expect([c.launches(), audit]).toEqual([[], []]);
  });
});
