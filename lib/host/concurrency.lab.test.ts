import { describe, expect, it } from 'vitest';
import { run } from '@/lab/exec.mts';
import { kubectl } from '@/lab/testing.mts';
import { patchNodeLabels } from '@/lib/kube/mutations';
import { hostService } from './wiring';
import { hostStatus } from './testing/status';

const forward = (i: number) => ({ name: `c${i}`, listenPort: 42000 + i, target: { kind: 'instance', name: 'ops', port: 8080 } });
const rv = async (node: string) => (await kubectl(['get', 'node', node, '-o', 'jsonpath={.metadata.resourceVersion}'])).trim();

/** A label change as a client would make it: on "changed meanwhile", reload and try again. */
async function label(node: string, key: string, value: string | null): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await patchNodeLabels(node, { [key]: value }, await rv(node));
    if (res.ok) return;
    if (res.status !== 409) throw new Error(res.error);
  }
  throw new Error(`label ${key} on ${node} kept conflicting`);
}

describe('50 concurrent changes', () => {
  it('end as the same changes made one after another would, with no duplicate rule', async () => {
    const host = await hostService();
    const first = await Promise.all(Array.from({ length: 20 }, (_, i) => host.create(forward(i), 'client-a')));
    expect(first.filter((r) => !r.ok)).toEqual([]);
    const ids = first.map((r) => (r.ok ? r.data.id : ''));

    // 50 at once from "parallel clients": 15 closes, 20 opens, 15 label changes on three nodes.
    const ops = [
      ...ids.slice(0, 15).map((id) => host.remove(id, 'client-b')),
      ...Array.from({ length: 20 }, (_, i) => host.create(forward(100 + i), 'client-c')),
      ...Array.from({ length: 15 }, (_, i) => label(`node${(i % 3) + 1}`, `conc-${i}`, 'yes')),
    ];
    expect(ops).toHaveLength(50);
    const results = await Promise.all(ops);
    expect(results.filter((r) => r && typeof r === 'object' && 'ok' in r && !r.ok)).toEqual([]);

    const expected = [...Array.from({ length: 5 }, (_, i) => 42015 + i), ...Array.from({ length: 20 }, (_, i) => 42100 + i)].sort();
    expect(
      host
        .desired()
        .map((f) => f.listenPort)
        .sort(),
    ).toEqual(expected);
    const rules = (await run('iptables-save', [])).stdout.split('\n').filter((l) => l.includes('labgate:'));
    expect(new Set(rules).size).toBe(rules.length); // no duplicate
    expect(rules).toHaveLength(expected.length * 4); // each: the host's DNAT rule, the LAN's, a hairpin and a FORWARD rule
    expect((await hostStatus(host)).inSync).toBe(true);
    for (let n = 1; n <= 3; n++) {
      const labels = JSON.parse(await kubectl(['get', 'node', `node${n}`, '-o', 'jsonpath={.metadata.labels}'])) as Record<string, string>;
      expect(Object.keys(labels).filter((k) => k.startsWith('conc-'))).toHaveLength(5);
    }

    for (const f of host.desired()) await host.remove(f.id, 'test');
    await Promise.all(Array.from({ length: 15 }, (_, i) => label(`node${(i % 3) + 1}`, `conc-${i}`, null)));
  }, 120_000);
});
