import { describe, expect, it } from 'vitest';
import { multipassDaemon, setMultipassFormat } from '@/lab/controls.mts';
import { labPrefix } from '@/lab/testing.mts';
import { listInstances, MultipassError } from './cli';

const prefix = labPrefix();

describe("the multipass adapter against the lab's stand-in (first on PATH)", () => {
  it.each(['release', 'zones'] as const)("lists the lab's instances in the %s format", async (format) => {
    setMultipassFormat(prefix, format);
    try {
      const records = await listInstances();
      expect(records.map((r) => [r.name, r.state, r.ipv4[0] ?? null])).toEqual([
        ['nfs', 'Running', '10.120.52.30'],
        ['node1', 'Running', '10.120.52.23'],
        ['node2', 'Running', '10.120.52.24'],
        ['node3', 'Running', '10.120.52.25'],
        ['ops', 'Running', '10.120.52.31'],
        ['scratch', 'Stopped', null],
      ]);
      expect(records[0]!.zone).toBe(format === 'zones' ? 'zone1' : null);
    } finally {
      setMultipassFormat(prefix, 'release');
    }
  });

  it('a stopped daemon gives the typed error', async () => {
    await multipassDaemon(prefix, 'stopped');
    try {
      const err = await listInstances().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MultipassError);
      expect(err).toMatchObject({ kind: 'daemon-down' });
    } finally {
      await multipassDaemon(prefix, 'running');
    }
    expect(await listInstances()).toHaveLength(6);
  });
});
