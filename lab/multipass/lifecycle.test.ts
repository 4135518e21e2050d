import { describe, expect, it } from 'vitest';
import { CODES, Lifecycle, type LifecycleCall } from './lifecycle.mts';
import { seedState, type StandInState } from './model.mts';

/** A daemon on a state in memory; the network's ups and downs written down; waits take no time. */
function daemon(edit: (s: StandInState) => void = () => {}) {
  const state = seedState();
  edit(state);
  const network: string[] = [];
  const seen: string[] = []; // every state an instance passed through
  const lifecycle = new Lifecycle({
    update: async (change) => {
      change(state);
      for (const i of state.instances) if (seen.at(-1) !== `${i.name}:${i.state}`) seen.push(`${i.name}:${i.state}`);
      return state;
    },
    network: {
      up: async (name) => (
        network.push(`up ${name}`),
        name === 'scratch' ? '10.120.52.100' : state.instances.find((i) => i.name === name)!.ipv4[0]!
      ),
      down: async (name) => void network.push(`down ${name}`),
    },
    bootMs: 0,
    minuteMs: 5,
    downloadStepMs: 0,
    sleep: async () => {},
  });
  const stateOf = (name: string) => state.instances.find((i) => i.name === name)?.state ?? null;
  return { lifecycle, state, network, seen, stateOf };
}

describe('the stand-in daemon lifecycle', () => {
  it.each<{ call: LifecycleCall; before?: string; after: string | null; network: string[] }>([
    { call: { op: 'stop', names: ['ops'], minutes: 0, cancel: false, force: false }, after: 'Stopped', network: ['down ops'] },
    { call: { op: 'stop', names: ['ops'], minutes: 5, cancel: false, force: false }, after: 'Delayed Shutdown', network: [] },
    { call: { op: 'stop', names: ['scratch'], minutes: 0, cancel: false, force: false }, after: 'Stopped', network: [] },
    { call: { op: 'stop', names: ['ops'], minutes: 0, cancel: true, force: false }, after: 'Running', network: [] },
    { call: { op: 'stop', names: ['scratch'], minutes: 0, cancel: false, force: true }, after: 'Stopped', network: ['down scratch'] },
    { call: { op: 'start', names: ['scratch'] }, after: 'Running', network: ['up scratch'] },
    { call: { op: 'start', names: ['ops'] }, after: 'Running', network: [] },
    { call: { op: 'suspend', names: ['ops'] }, after: 'Suspended', network: ['down ops'] },
    { call: { op: 'start', names: ['ops'] }, before: 'Suspended', after: 'Running', network: ['up ops'] },
    { call: { op: 'restart', names: ['ops'] }, after: 'Running', network: ['down ops', 'up ops'] },
    { call: { op: 'delete', names: ['ops'], purge: false }, after: 'Deleted', network: ['down ops'] },
    { call: { op: 'delete', names: ['ops'], purge: true }, after: null, network: ['down ops'] },
    { call: { op: 'purge' }, before: 'Deleted', after: null, network: [] },
  ])('$call.op of an instance $before → $after', async ({ call, before, after, network }) => {
    const d = daemon((s) => {
      if (before) s.instances.find((i) => i.name === ('names' in call ? call.names[0] : 'ops'))!.state = before as 'Running';
    });
    const name = 'names' in call ? call.names[0]! : 'ops';
    await d.lifecycle.run(call);
    expect(d.stateOf(name)).toBe(after);
    expect(d.network).toEqual(network);
    d.lifecycle.close();
  });

  it('a start boots through Starting, with the address DHCP gave it', async () => {
    const d = daemon();
    await d.lifecycle.run({ op: 'start', names: ['scratch'] });
    expect(d.seen.filter((s) => s.startsWith('scratch:'))).toEqual(['scratch:Stopped', 'scratch:Starting', 'scratch:Running']);
    expect(d.state.instances.find((i) => i.name === 'scratch')!.ipv4).toEqual(['10.120.52.100']);
  });

  it('a restart keeps the other addresses the VM reports (a node’s CNI one)', async () => {
    const d = daemon();
    await d.lifecycle.run({ op: 'restart', names: ['node2'] });
    expect(d.state.instances.find((i) => i.name === 'node2')!.ipv4).toEqual(['10.120.52.24', '10.244.1.0']);
  });

  it('a delayed shutdown stops the instance when its time comes, unless cancelled', async () => {
    const d = daemon();
    await d.lifecycle.run({ op: 'stop', names: ['ops', 'nfs'], minutes: 1, cancel: false, force: false });
    await d.lifecycle.run({ op: 'stop', names: ['nfs'], minutes: 0, cancel: true, force: false });
    await new Promise((r) => setTimeout(r, 30));
    expect([d.stateOf('ops'), d.stateOf('nfs')]).toEqual(['Stopped', 'Running']);
  });

  it('a launch downloads its image once, boots and reports each step; the next finds the image cached', async () => {
    const d = daemon();
    const steps: unknown[] = [];
    const args = { name: 'worker1', image: 'noble', cpus: 2, memory: '2G', disk: '10G', userData: '' };
    expect(await d.lifecycle.launch(args, (s) => steps.push(s))).toBe('worker1');
    expect(steps[0]).toEqual({ create_message: 'Creating worker1' });
    expect(steps.filter((s) => JSON.stringify(s).includes('"IMAGE"'))).toHaveLength(11);
    expect(steps.at(-1)).toEqual({ vm_instance_name: 'worker1' });
    expect(d.state.instances.find((i) => i.name === 'worker1')).toMatchObject({
      state: 'Running',
      cpuCount: '2',
      memory: { total: 2 * 1024 ** 3 },
      disk: { total: String(10 * 1024 ** 3) },
    });
    expect(d.network).toEqual(['up worker1']);
    const again: unknown[] = [];
    await d.lifecycle.launch({ ...args, name: 'worker2' }, (s) => again.push(s));
    expect(again.filter((s) => JSON.stringify(s).includes('"IMAGE"'))).toHaveLength(0);
  });

  it.each([
    { change: { memory: '64M', name: 'bad_name' }, code: CODES.INVALID_ARGUMENT, message: 'Invalid arguments supplied', errors: [1, 3] },
    { change: { name: 'ops' }, code: CODES.INVALID_ARGUMENT, message: 'instance "ops" already exists', errors: [] },
    {
      change: { image: 'windows' },
      code: CODES.FAILED_PRECONDITION,
      message: 'Unable to find an image matching "windows" in remote "release".',
      errors: [],
    },
  ])('a launch it refuses ($message) changes nothing', async ({ change, code, message, errors }) => {
    const d = daemon();
    const before = JSON.stringify(d.state);
    const args = { name: 'worker1', image: 'lts', cpus: 1, memory: '1G', disk: '', userData: '', ...change };
    await expect(d.lifecycle.launch(args, () => {})).rejects.toMatchObject({ code, message, launchErrors: errors });
    expect(JSON.stringify(d.state)).toBe(before);
  });

  it.each<{ call: LifecycleCall; before?: string; code: number; message: string }>([
    {
      call: { op: 'stop', names: ['nope'], minutes: 0, cancel: false, force: false },
      code: CODES.NOT_FOUND,
      message: 'instance "nope" does not exist',
    },
    { call: { op: 'suspend', names: ['ops'] }, before: 'Deleted', code: CODES.INVALID_ARGUMENT, message: 'instance "ops" is deleted' },
    { call: { op: 'start', names: ['nope'] }, code: CODES.ABORTED, message: 'instance(s) missing' },
    { call: { op: 'start', names: ['ops'] }, before: 'Deleted', code: CODES.ABORTED, message: 'instance(s) missing' },
    {
      call: { op: 'start', names: ['ops'] },
      before: 'Suspending',
      code: CODES.FAILED_PRECONDITION,
      message: "Cannot start the instance 'ops' while suspending",
    },
    { call: { op: 'restart', names: ['ops'] }, before: 'Stopped', code: CODES.INVALID_ARGUMENT, message: 'instance "ops" is not running' },
    { call: { op: 'delete', names: ['nope'], purge: true }, code: CODES.NOT_FOUND, message: 'instance "nope" does not exist' },
  ])('refuses $call.op as the daemon does: $message', async ({ call, before, code, message }) => {
    const d = daemon((s) => {
      if (before) s.instances.find((i) => i.name === 'ops')!.state = before as 'Running';
    });
    const states = JSON.stringify(d.state.instances.map((i) => i.state));
    await expect(d.lifecycle.run(call)).rejects.toMatchObject({ code, message });
    expect(JSON.stringify(d.state.instances.map((i) => i.state))).toBe(states);
    expect(d.network).toEqual([]);
  });
});
