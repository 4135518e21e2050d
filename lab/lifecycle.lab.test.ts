import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './exec.mts';
import { labDown, labStatus, labUp } from './lab.mts';
import { labPaths } from './paths.mts';
import { kubectl } from './kube.mts';
import { isAlive, readPid } from './processes.mts';
import { labPrefix } from './testing.mts';
import { namespaces } from './topology.mts';

// A second lab beside the one the other suites use: two prefixes at once, then nothing left.
const second = `${labPrefix().replace(/-$/, '')}b-`;

describe('a second lab', () => {
  afterAll(() => labDown(second));

  it('comes up beside the first, and after down leaves no namespace, mount, veth or process', async () => {
    await labUp(second, { scale: { nodes: 5, services: 12, pods: 40 }, multipassFormat: 'zones' });
    const status = await labStatus(second);
    expect(status.up).toBe(true);
    expect(status.apiserverReady).toBe(true);
    expect(Object.values(status.processes).every((s) => s === 'running')).toBe(true);
    expect((await labStatus(labPrefix())).apiserverReady).toBe(true);

    // The scale profile landed in the real apiserver and its pods run.
    // Its apiserver has the same address as the first lab's: ask from its own host namespace.
    const k = kubectl(second, labPaths(second).adminKubeconfig);
    const count = async (args: string[]) => (JSON.parse(await k([...args, '-o', 'json'])) as { items: unknown[] }).items.length;
    expect(await count(['get', 'nodes', '-l', 'labgate.lab/scale=true'])).toBe(5);
    expect(await count(['get', 'services', '-n', 'scale'])).toBe(12);
    expect(await count(['get', 'pods', '-n', 'scale', '--field-selector=status.phase=Running'])).toBe(40);
    const list = await run(path.join(labPaths(second).bin, 'multipass'), ['list', '--format', 'json']);
    expect(list.stdout).toContain('"zone"');

    const p = labPaths(second);
    const pids = fs.readdirSync(p.pids).map((f) => readPid(p.pids, f.replace(/\.pid$/, ''))!);
    expect(pids.length).toBeGreaterThanOrEqual(10);

    await labDown(second);
    const netns = await run('ip', ['netns', 'list']);
    for (const ns of namespaces(second).all) expect(netns.stdout).not.toMatch(new RegExp(`^${ns}\\b`, 'm'));
    expect(fs.readFileSync('/proc/mounts', 'utf8')).not.toContain(`/run/netns/${second}`);
    expect(pids.filter(isAlive)).toEqual([]);
    // The machine's own namespace (pid 1's) never got a lab interface or route.
    expect(fs.readFileSync('/proc/1/net/route', 'utf8')).not.toMatch(/mpqemubr0|enp3s0/);
    expect(fs.readFileSync('/proc/1/net/dev', 'utf8')).not.toMatch(/mpqemubr0|vm-node1/);
    // Down twice is fine.
    expect((await labDown(second)).namespaces).toEqual([]);
  }, 180_000);
});
