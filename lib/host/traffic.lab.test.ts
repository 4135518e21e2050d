import { describe, expect, it } from 'vitest';
import { run } from '@/lab/exec.mts';
import { curlFrom } from '@/lab/testing.mts';
import { LAN } from '@/lab/topology.mts';
import { metrics } from '@/lib/observe/metrics';
import { labHost } from './testing/lab-host';

// Each forward's traffic from the real kernel's counters on labgate's rules: known traffic sent
// from the LAN, read back with the whole-ruleset read, and not set back to zero by labgate's restores.
const lab = labHost();

const jenkinsOf = () => lab.host.list().find((f) => f.name === 'Jenkins')!;
async function sendFromLan(times: number): Promise<number> {
  let bytes = 0;
  for (let i = 0; i < times; i++) {
    const res = await curlFrom('lan', `http://${LAN.host}:8096/`);
    expect(res.body).toContain('Jenkins');
    bytes += res.body.length;
  }
  await lab.host.status(); // a full read, as the reconciler makes them
  return bytes;
}

describe("a forward's traffic", () => {
  it('counts the connections and bytes sent from the LAN, survives restores of other changes, and shows in /metrics', async () => {
    const created = await lab.host.create(
      { name: 'Jenkins', listenPort: 8096, target: { kind: 'instance', name: 'ops', port: 8080 } },
      'test',
    );
    expect(created.ok).toBe(true);
    await lab.host.status();
    expect(jenkinsOf().traffic).toMatchObject({ connections: 0, lastUsed: null });

    const body = await sendFromLan(5);
    const first = jenkinsOf().traffic!;
    expect(first.connections).toBe(5);
    expect(first.bytes).toBeGreaterThan(body); // the bodies and every header and handshake, both ways
    expect(first.lastUsed).not.toBeNull();

    // Another forward: labgate rewrites its chains whole in one restore, with the counters kept.
    expect((await run('iptables-save', ['-c'])).stdout).toMatch(/\[5:\d+\] -A LABGATE-DNAT .*labgate:/);
    expect(
      (await lab.host.create({ name: 'Other', listenPort: 8097, target: { kind: 'instance', name: 'ops', port: 8080 } }, 'test')).ok,
    ).toBe(true);
    expect((await run('iptables-save', ['-c'])).stdout).toMatch(new RegExp(`\\[5:\\d+\\] -A LABGATE-DNAT .*labgate:${jenkinsOf().id}`));
    await lab.host.status();
    expect(jenkinsOf().traffic!.connections).toBe(5);
    expect(jenkinsOf().traffic!.bytes).toBe(first.bytes);

    await sendFromLan(2);
    expect(jenkinsOf().traffic!.connections).toBe(7);
    // The last hour's chart: everything sent since the first read lands in its last minutes.
    const { perMinute, bytes } = jenkinsOf().traffic!;
    expect(perMinute).toHaveLength(60);
    expect(perMinute.reduce((a, b) => a + b, 0)).toBe(bytes);
    const scraped = await metrics().registry.metrics();
    expect(scraped).toContain('labgate_forward_connections_total{forward="Jenkins",port="8096"} 7');
    expect(scraped).toMatch(/labgate_forward_bytes_total\{forward="Jenkins",port="8096"\} \d+/);
    expect(lab.host.list().find((f) => f.name === 'Other')!.traffic).toMatchObject({ connections: 0 });
  });
});
