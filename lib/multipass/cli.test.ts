import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listInstances, MultipassError, type CliResult } from './cli';

const fixture = (...p: string[]) => fs.readFileSync(path.join(__dirname, '..', '..', 'lab', 'fixtures', 'multipass', ...p), 'utf8');
const answering = (res: Partial<CliResult>) => async () => ({ code: 0, stdout: '', stderr: '', timedOut: false, ...res });

describe('listInstances', () => {
  it.each(['.', 'v1.16.3'])('reads the %s format into sorted records', async (dir) => {
    const records = await listInstances(answering({ stdout: fixture(dir, 'info.json') }));
    expect(records.map((r) => r.name)).toEqual(['nfs', 'node1', 'node2', 'node3', 'ops', 'scratch']);
    expect(records[1]).toMatchObject({
      name: 'node1',
      state: 'Running',
      ipv4: ['10.120.52.23', '10.244.0.0'],
      cpuCount: 2,
      disk: { used: 7012466688, total: 20244400128 },
    });
    expect(records[0]!.mounts).toEqual(['/srv/labshare']);
    expect(records[5]).toMatchObject({
      name: 'scratch',
      state: 'Stopped',
      ipv4: [],
      cpuCount: null,
      memory: null,
      disk: null,
      release: null,
    });
    expect(records[1]!.zone).toBe(dir === '.' ? 'zone1' : null);
  });

  it.each([
    { name: 'CLI missing', res: { code: null, errno: 'ENOENT' }, kind: 'cli-missing' },
    { name: 'daemon down', res: { code: 2, stderr: 'info failed: cannot connect to the multipass socket\n' }, kind: 'daemon-down' },
    { name: 'socket access denied', res: { code: 2, stderr: 'info failed: multipass socket access denied\n' }, kind: 'access-denied' },
    { name: 'unknown instance', res: { code: 2, stderr: 'info failed: instance "x" does not exist\n' }, kind: 'unknown-instance' },
    { name: 'timeout', res: { code: null, timedOut: true }, kind: 'timeout' },
    { name: 'not JSON', res: { stdout: 'Name  State\nnode1 Running\n' }, kind: 'malformed' },
    { name: 'wrong shape', res: { stdout: '{"info": {"a": {"state": 1, "ipv4": []}}, "errors": []}' }, kind: 'malformed' },
    { name: 'other failure', res: { code: 1, stderr: 'something else\n' }, kind: 'failed' },
  ])('$name: a typed error, never a crash', async ({ res, kind }) => {
    const err = await listInstances(answering(res)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MultipassError);
    expect((err as MultipassError).kind).toBe(kind);
    expect((err as MultipassError).message.length).toBeGreaterThan(10);
  });
});
