import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedState, type OutputFormat } from './model.mts';
import { answer } from './render.mts';

const fixture = (...p: string[]) => fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'multipass', ...p), 'utf8');
const dirs: Record<OutputFormat, string> = { release: 'v1.16.3', zones: '.' };

describe('multipass stand-in output', () => {
  describe.each(['release', 'zones'] as const)('%s format', (format) => {
    it.each([
      { args: ['list', '--format', 'json'], file: 'list.json' },
      { args: ['info', '--format', 'json'], file: 'info.json' },
      { args: ['list', '--format=json'], file: 'list.json' },
    ])('$args equals the fixture byte for byte', ({ args, file }) => {
      const res = answer(args, seedState(format));
      expect(res).toEqual({ stdout: fixture(dirs[format], file), stderr: '', code: 0 });
    });

    it('moves telemetry between calls, and nothing else', () => {
      const at = (tick: number) => JSON.parse(answer(['info', '--format', 'json'], seedState(format), tick).stdout).info;
      const [a, b] = [at(1), at(2)];
      expect(a.nfs.memory.used).not.toBe(b.nfs.memory.used);
      expect(a.nfs.disks.sda1.used).not.toBe(b.nfs.disks.sda1.used);
      const identity = (info: Record<string, Record<string, unknown>>) =>
        Object.fromEntries(Object.entries(info).map(([name, { load: _l, memory: _m, disks: _d, ...rest }]) => [name, rest]));
      expect(identity(a)).toEqual(identity(b));
    });

    it('lists no instances like the real CLI', () => {
      expect(answer(['list', '--format', 'json'], { ...seedState(format), instances: [] }).stdout).toBe(
        fixture(dirs[format], 'list-empty.json'),
      );
    });

    it('answers for the instances named, in the order given', () => {
      const out = JSON.parse(answer(['info', 'node2', 'nfs', '--format', 'json'], seedState(format)).stdout);
      expect(Object.keys(out.info)).toEqual(format === 'release' ? ['nfs', 'node2'] : ['node2', 'nfs']);
    });

    it.each([
      {
        name: 'unknown instance',
        args: ['info', 'nosuch', '--format', 'json'],
        daemon: 'running',
        stderr: 'info failed: instance "nosuch" does not exist\n',
        code: 2,
      },
      {
        name: 'two unknown',
        args: ['info', 'a', 'node1', 'b', '--format', 'json'],
        daemon: 'running',
        stderr: 'info failed: instance "a" does not exist\ninstance "b" does not exist\n',
        code: 2,
      },
      {
        name: 'daemon down (list)',
        args: ['list', '--format', 'json'],
        daemon: 'stopped',
        stderr: 'list failed: cannot connect to the multipass socket\n',
        code: 2,
      },
      {
        name: 'daemon down (info)',
        args: ['info', '--format', 'json'],
        daemon: 'stopped',
        stderr: 'info failed: cannot connect to the multipass socket\n',
        code: 2,
      },
    ] as const)('$name: the real message and exit code, nothing on stdout', ({ args, daemon, stderr, code }) => {
      expect(answer(args, { ...seedState(format), daemon })).toEqual({ stdout: '', stderr, code });
    });
  });

  it('warns about info --all only in the release format', () => {
    expect(answer(['info', '--all', '--format', 'json'], seedState('release')).stderr).toMatch(/deprecated/);
  });

  it('gives no address for a stopped instance', () => {
    const list = JSON.parse(answer(['list', '--format', 'json'], seedState()).stdout).list as { name: string; ipv4: string[] }[];
    expect(list.find((i) => i.name === 'scratch')?.ipv4).toEqual([]);
  });

  it('reports the client and the daemon version, the client only when the daemon is down', () => {
    expect(answer(['version'], seedState()).stdout).toBe('multipass   1.16.3\nmultipassd  1.16.3\n');
    expect(answer(['version'], { ...seedState(), daemon: 'stopped' }).stdout).toBe('multipass   1.16.3\n');
  });
});
