import { describe, expect, it } from 'vitest';
import { InstanceChange } from './instances';

describe('InstanceChange', () => {
  it.each([
    { instance: 'ops', action: 'start' },
    { instance: 'ops', action: 'stop', delayMinutes: 0 },
    { instance: 'ops', action: 'stop', delayMinutes: 1440 },
    { instance: 'node-2', action: 'cancel-stop' },
    { instance: 'ops', action: 'restart' },
    { instance: 'ops', action: 'suspend' },
    { instance: 'ops', action: 'delete', purge: true },
  ])('takes $action of $instance', (input) => {
    expect(InstanceChange.parse(input)).toEqual(input);
  });

  it.each([
    { input: { instance: 'ops', action: 'reboot' }, field: 'action' },
    { input: { instance: '-ops', action: 'start' }, field: 'instance' },
    { input: { instance: 'ops; rm -rf /', action: 'start' }, field: 'instance' },
    { input: { instance: 'ops', action: 'stop' }, field: 'delayMinutes' },
    { input: { instance: 'ops', action: 'stop', delayMinutes: -1 }, field: 'delayMinutes' },
    { input: { instance: 'ops', action: 'stop', delayMinutes: 1441 }, field: 'delayMinutes' },
    { input: { instance: 'ops', action: 'stop', delayMinutes: 1.5 }, field: 'delayMinutes' },
    { input: { instance: 'ops', action: 'stop', delayMinutes: '5' }, field: 'delayMinutes' },
    { input: { instance: 'ops', action: 'delete' }, field: 'purge' },
    { input: { instance: 'ops', action: 'delete', purge: 'yes' }, field: 'purge' },
    { input: { instance: 'ops', action: 'start', force: true }, field: '' },
  ])('refuses $input, naming $field', ({ input, field }) => {
    const res = InstanceChange.safeParse(input);
    expect(res.success).toBe(false);
    expect(res.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});
