import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acceptedByMultipass, forgetImages, restoreSeedInstance } from '@/lab/controls.mts';
import { labPaths } from '@/lab/paths.mts';
import { curlFrom, labPrefix } from '@/lab/testing.mts';
import { clientIdentity } from './identity.mts';
import { MultipassRpc } from './rpc.mts';

// labgate's lifecycle calls over the daemon's gRPC API against the lab's daemon stand-in, and
// what they do to the VMs: a stopped or suspended VM cannot be reached from the host, a started
// one can again; refusals come back in the daemon's words.
const prefix = labPrefix();
let dataDir = '';
let rpc: MultipassRpc;

const stateOf = async (name: string) => (await rpc.info()).find((i) => i.name === name);
const jenkinsAnswers = async () => (await curlFrom('host', 'http://10.120.52.31:8080/')).ok;
/** Whether the host reaches an address: a closed port refuses at once where a VM is up (nothing listens in a new one). */
const reaches = (address: string) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: address, port: 9, timeout: 2_000 });
    socket.once('connect', () => resolve(!!socket.destroy()));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
    socket.once('timeout', () => resolve(!socket.destroy()));
  });

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-lifecycle-'));
  await acceptedByMultipass(prefix, dataDir);
  rpc = new MultipassRpc(labPaths(prefix).multipassSocket, await clientIdentity(dataDir));
});
afterEach(async () => {
  for (const name of ['ops', 'scratch']) await restoreSeedInstance(prefix, name);
  if (await stateOf('web9')) await rpc.lifecycle('web9', { instance: 'web9', action: 'delete', purge: true });
});
afterAll(() => {
  rpc.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('instance lifecycle through the daemon', () => {
  it('stop takes a VM off the bridge and start brings it back, its address and its service with it', async () => {
    expect(await jenkinsAnswers()).toBe(true);
    await rpc.lifecycle('ops', { instance: 'ops', action: 'stop', delayMinutes: 0 });
    expect(await stateOf('ops')).toMatchObject({ state: 'Stopped', ipv4: [] });
    expect(await jenkinsAnswers()).toBe(false);
    const started = Date.now();
    await rpc.lifecycle('ops', { instance: 'ops', action: 'start' });
    console.log(`labgate: start answered after ${Date.now() - started} ms (the lab's VMs boot in about a second)`);
    expect(await stateOf('ops')).toMatchObject({ state: 'Running', ipv4: ['10.120.52.31'] });
    expect(await jenkinsAnswers()).toBe(true);
  });

  it('a delayed stop shows as Delayed Shutdown, keeps serving, and can be cancelled', async () => {
    await rpc.lifecycle('ops', { instance: 'ops', action: 'stop', delayMinutes: 10 });
    expect(await stateOf('ops')).toMatchObject({ state: 'Delayed Shutdown', ipv4: ['10.120.52.31'] });
    expect(await jenkinsAnswers()).toBe(true);
    await rpc.lifecycle('ops', { instance: 'ops', action: 'cancel-stop' });
    expect((await stateOf('ops'))?.state).toBe('Running');
  });

  it('suspend and restart change reachability as the real daemon’s do', async () => {
    await rpc.lifecycle('ops', { instance: 'ops', action: 'suspend' });
    expect((await stateOf('ops'))?.state).toBe('Suspended');
    expect(await jenkinsAnswers()).toBe(false);
    await expect(rpc.lifecycle('ops', { instance: 'ops', action: 'restart' })).rejects.toThrow(
      'Multipass refused: instance "ops" is not running.',
    );
    await rpc.lifecycle('ops', { instance: 'ops', action: 'start' });
    await rpc.lifecycle('ops', { instance: 'ops', action: 'restart' });
    expect((await stateOf('ops'))?.state).toBe('Running');
    expect(await jenkinsAnswers()).toBe(true);
  });

  it('an instance that never ran here gets its address from the bridge’s DHCP range and answers', async () => {
    await rpc.lifecycle('scratch', { instance: 'scratch', action: 'start' });
    const scratch = await stateOf('scratch');
    expect(scratch).toMatchObject({ state: 'Running', ipv4: [expect.stringMatching(/^10\.120\.52\.1\d\d$/)] });
    expect(await reaches(scratch!.ipv4[0]!)).toBe(true);
    await rpc.lifecycle('scratch', { instance: 'scratch', action: 'stop', delayMinutes: 0 });
    expect(await reaches(scratch!.ipv4[0]!)).toBe(false);
  });

  it('delete keeps it recoverable (Deleted), purge takes it out of the list; a missing one is refused', async () => {
    await rpc.lifecycle('ops', { instance: 'ops', action: 'delete', purge: false });
    expect((await stateOf('ops'))?.state).toBe('Deleted');
    expect(await jenkinsAnswers()).toBe(false);
    await expect(rpc.lifecycle('ops', { instance: 'ops', action: 'stop', delayMinutes: 0 })).rejects.toThrow('instance "ops" is deleted');
    await rpc.lifecycle('scratch', { instance: 'scratch', action: 'delete', purge: true });
    expect(await stateOf('scratch')).toBeUndefined();
    await expect(rpc.lifecycle('scratch', { instance: 'scratch', action: 'start' })).rejects.toThrow(
      'Multipass refused: instance(s) missing.',
    );
  });
});

describe('launch through the daemon', () => {
  const spec = { name: 'web9', image: 'focal', cpus: 1, memory: '1G', disk: '5G', cloudInit: '#cloud-config\npackages: [nginx]\n' };

  it('a refused launch carries the daemon’s LaunchError codes; nothing is made', async () => {
    const refused = rpc.launch({ ...spec, memory: '64M', name: 'web9-' }, () => {});
    await expect(refused).rejects.toMatchObject({ kind: 'refused', launchErrors: ['INVALID_MEM_SIZE', 'INVALID_HOSTNAME'] });
    expect(await stateOf('web9-')).toBeUndefined();
  });

  it('a launch streams its steps, runs the VM on the bridge with what cloud-init installs, and purge leaves nothing', async () => {
    forgetImages(prefix); // a fresh host: the image is downloaded
    const steps: string[] = [];
    expect(await rpc.launch(spec, (s) => steps.push(`${s.phase}:${s.percent ?? ''}`))).toBe('web9');
    expect(steps[0]).toBe('message:');
    expect(steps).toContain('download:50');
    expect(steps).toContain('waiting:');
    const web9 = await stateOf('web9');
    expect(web9).toMatchObject({ state: 'Running', cpuCount: 1, memory: { total: 1024 ** 3 } });
    expect((await curlFrom('host', `http://${web9!.ipv4[0]}/`)).body).toContain('Welcome to nginx!');
    await rpc.lifecycle('web9', { instance: 'web9', action: 'delete', purge: true });
    expect(await stateOf('web9')).toBeUndefined();
    expect(await reaches(web9!.ipv4[0]!)).toBe(false);
  });
});
