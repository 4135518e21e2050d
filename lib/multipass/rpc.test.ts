import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAEMON_MESSAGES, startStandInDaemon, type StandInDaemon } from '@/lab/multipass/daemon.mts';
import { seedState } from '@/lab/multipass/model.mts';
import { selfSignedIdentity } from '@/lib/tls/certificates.mts';
import { describeRpcError, launchStep, toInstanceRecords, type InfoItem } from './replies.mts';
import { MultipassRpc } from './rpc.mts';

// The client against the lab's gRPC stand-in of the daemon, over a real unix socket with TLS.
describe('MultipassRpc against the daemon stand-in', () => {
  let dir: string;
  let daemon: StandInDaemon;
  const clients: MultipassRpc[] = [];
  const client = async () => {
    const c = new MultipassRpc(path.join(dir, 'multipass_socket'), await selfSignedIdentity('multipass-client', 30));
    clients.push(c);
    return c;
  };
  const start = async (passphrase: string | null = 'lab-passphrase') =>
    (daemon = await startStandInDaemon({
      socket: path.join(dir, 'multipass_socket'),
      state: () => seedState('zones'),
      passphrase,
      certStore: path.join(dir, 'authenticated-certs'),
    }));
  beforeEach(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-mpd-'))));
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await daemon?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("a fresh daemon accepts its first client and opens its socket to everyone; info is the lab's instances", async () => {
    await start();
    expect(fs.statSync(daemon.socket).mode & 0o777).toBe(0o660); // its admin group's only, until a client is accepted
    const first = await client();
    const records = await first.info();
    expect(fs.statSync(daemon.socket).mode & 0o777).toBe(0o666);
    expect(records.map((r) => [r.name, r.state, r.ipv4])).toEqual(
      [...seedState('zones').instances]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((i) => [i.name, i.state, i.state === 'Running' ? i.ipv4 : []]),
    );
    expect(records.find((r) => r.name === 'nfs')).toMatchObject({
      zone: 'zone1',
      mounts: ['/srv/labshare'],
      release: 'Ubuntu 22.04.5 LTS',
    });
    expect(await first.version()).toEqual({ version: '1.17.0-dev.3854+g9b0af2ec3', update: null });
  });

  it("the daemon's streaming replies as it sends them: log lines each in a reply of its own, then the answer with its update info", async () => {
    const update = { version: '1.17.1', url: 'https://multipass.run/install', title: 'Multipass 1.17.1', description: 'Fixes.' };
    daemon = await startStandInDaemon({
      socket: path.join(dir, 'multipass_socket'),
      state: () => seedState('zones'),
      logLines: ['[2026-12-02T03:00:00.000] [info] [daemon] Updating instance metadata', '[warning] [qemu] ops: slow to answer'],
      update,
    });
    const c = await client();
    const records = await c.info();
    expect(records.map((r) => r.name)).toEqual([...seedState('zones').instances.map((i) => i.name)].sort());
    expect(await c.version()).toEqual({ version: '1.17.0-dev.3854+g9b0af2ec3', update: { version: '1.17.1', url: update.url } });
  });

  it('telemetry moves between calls; identity, state and addresses do not', async () => {
    await start();
    const c = await client();
    const a = await c.info();
    await new Promise((r) => setTimeout(r, 1_100)); // the stand-in's telemetry moves each second
    const b = await c.info();
    const identity = (rs: typeof a) => rs.map(({ memory: _m, disk: _d, load: _l, ...rest }) => rest);
    expect(identity(b)).toEqual(identity(a));
    expect(b.find((r) => r.name === 'ops')!.memory!.used).not.toBe(a.find((r) => r.name === 'ops')!.memory!.used);
  });

  it('any other client is refused until it authenticates with the passphrase; a wrong one is refused and changes nothing', async () => {
    await start();
    await (await client()).info(); // the installing user's client, accepted first
    const labgate = await client();
    await expect(labgate.info()).rejects.toMatchObject({
      kind: 'not-authenticated',
      message: expect.stringContaining('labgate multipass-auth'),
    });
    await expect(labgate.authenticate('guess')).rejects.toMatchObject({
      kind: 'wrong-passphrase',
      message: expect.stringContaining(DAEMON_MESSAGES.wrongPassphrase),
    });
    await expect(labgate.info()).rejects.toMatchObject({ kind: 'not-authenticated' });
    await labgate.authenticate('lab-passphrase');
    expect((await labgate.info()).length).toBe(seedState().instances.length);
    expect(daemon.accepted()).toHaveLength(2);
  });

  it('a daemon without a passphrase says so; accepted certificates survive its restart', async () => {
    await start(null);
    const installer = await client();
    await installer.info();
    await expect((await client()).authenticate('anything')).rejects.toMatchObject({
      kind: 'no-passphrase',
      message: expect.stringContaining(DAEMON_MESSAGES.noPassphrase),
    });
    await daemon.stop();
    await start(null);
    expect(fs.statSync(daemon.socket).mode & 0o777).toBe(0o666); // it has clients: open, as before
    expect((await installer.info()).length).toBe(seedState().instances.length);
  });

  it('no daemon on the socket: daemon-down, naming the socket', async () => {
    await expect((await client()).info()).rejects.toMatchObject({
      kind: 'daemon-down',
      message: expect.stringContaining(path.join(dir, 'multipass_socket')),
    });
  });
});

describe('describeRpcError', () => {
  const err = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
  it.each([
    {
      code: grpc.status.UNAVAILABLE,
      details: 'connect EACCES /var/snap/multipass/common/multipass_socket',
      kind: 'access-denied',
      says: 'multipass-auth',
    },
    {
      code: grpc.status.UNAVAILABLE,
      details: 'No connection established. Last error: connect ENOENT',
      kind: 'daemon-down',
      says: 'not running',
    },
    { code: grpc.status.UNAUTHENTICATED, details: DAEMON_MESSAGES.notAuthenticated, kind: 'not-authenticated', says: 'local.passphrase' },
    { code: grpc.status.INVALID_ARGUMENT, details: DAEMON_MESSAGES.wrongPassphrase, kind: 'wrong-passphrase', says: 'not correct' },
    { code: grpc.status.FAILED_PRECONDITION, details: DAEMON_MESSAGES.noPassphrase, kind: 'no-passphrase', says: 'not set' },
    { code: grpc.status.DEADLINE_EXCEEDED, details: 'Deadline exceeded', kind: 'timeout', says: '10 s' },
    { code: grpc.status.INTERNAL, details: 'boom', kind: 'failed', says: 'INTERNAL' },
  ])('$kind from status $code', ({ code, details, kind, says }) => {
    const e = describeRpcError(err(code, details), '/var/snap/multipass/common/multipass_socket');
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(says);
  });
});

describe('toInstanceRecords', () => {
  const item = (over: Partial<InfoItem> = {}): InfoItem => ({
    name: 'ops',
    instance_status: { status: 'RUNNING' },
    memory_total: '2014339072',
    disk_total: '10512543744',
    cpu_count: '1',
    mount_info: { mount_paths: [] },
    instance_info: {
      image_release: '22.04 LTS',
      current_release: 'Ubuntu 22.04.5 LTS',
      load: '0.08 0.12 0.09',
      memory_usage: '402661376',
      disk_usage: '3104571392',
      ipv4: ['10.120.52.31', '10.244.0.1'],
    },
    zone: { name: 'zone1', available: true },
    ...over,
  });
  it.each([
    {
      name: 'a running instance, every field',
      items: [item()],
      want: {
        state: 'Running',
        ipv4: ['10.120.52.31', '10.244.0.1'],
        cpuCount: 1,
        memory: { used: 402661376, total: 2014339072 },
        disk: { used: 3104571392, total: 10512543744 },
        load: [0.08, 0.12, 0.09],
        zone: 'zone1',
      },
    },
    {
      name: 'stopped: no telemetry, N/A and empty addresses dropped',
      items: [
        item({
          instance_status: { status: 'STOPPED' },
          memory_total: '',
          cpu_count: '',
          instance_info: { ...item().instance_info!, load: '', memory_usage: '', ipv4: ['N/A', ''] },
        }),
      ],
      want: { state: 'Stopped', ipv4: [], cpuCount: null, memory: null, load: [] },
    },
    {
      name: 'Delayed Shutdown in words',
      items: [item({ instance_status: { status: 'DELAYED_SHUTDOWN' } })],
      want: { state: 'Delayed Shutdown' },
    },
    { name: 'a status it does not know', items: [item({ instance_status: { status: '42' } })], want: { state: 'Unknown' } },
    { name: 'no status at all', items: [item({ instance_status: null })], want: { state: 'Unknown' } },
    { name: 'no zone (a daemon without zones)', items: [item({ zone: null })], want: { zone: null } },
    {
      name: 'garbage load figures',
      items: [item({ instance_info: { ...item().instance_info!, load: 'high 0.5 NaN' } })],
      want: { load: [0.5] },
    },
  ])('$name', ({ items, want }) => {
    expect(toInstanceRecords(items)[0]).toMatchObject(want);
  });

  it.each(['', 'ops; rm -rf /', 'x'.repeat(64), '-leading-hyphen'])('refuses the whole reply for an instance named %j', (name) => {
    expect(() => toInstanceRecords([item(), item({ name })])).toThrow(/Multipass reported an instance named/);
  });
});

describe('launchStep', () => {
  it.each([
    [{ launch_progress: { type: 'IMAGE', percent_complete: '40' } }, { phase: 'download', text: 'Downloading the image', percent: 40 }],
    [{ launch_progress: { type: 'VERIFY', percent_complete: '100' } }, { phase: 'verify', text: 'Verifying the image', percent: 100 }],
    [
      { launch_progress: { type: 'WAITING', percent_complete: '-1' } },
      { phase: 'waiting', text: 'Waiting for the instance to be ready', percent: null },
    ],
    [{ launch_progress: { type: 'IMAGE', percent_complete: '250' } }, { phase: 'download', text: 'Downloading the image', percent: null }],
    [{ launch_progress: { type: 'SOMETHING_NEW', percent_complete: '5' } }, { phase: 'message', text: 'Working', percent: 5 }],
    [{ create_message: 'Creating worker1' }, { phase: 'message', text: 'Creating worker1', percent: null }],
    [{ vm_instance_name: 'worker1' }, null],
  ])('%j → %j', (reply, step) => {
    expect(launchStep(reply)).toEqual(step);
  });
});
