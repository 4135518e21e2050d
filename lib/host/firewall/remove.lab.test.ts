import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerRules, rebootFirewall } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { iptables, labPrefix, ruleset } from '@/lab/testing.mts';
import { hostService } from '../wiring';

const CLI = path.resolve(import.meta.dirname, '../../../bin/labgate');

afterAll(async () => {
  await dockerRules(labPrefix(), false);
  await rebootFirewall(labPrefix());
});

describe('labgate remove-rules (uninstall)', () => {
  it("takes off labgate's chains and jumps and leaves every other rule byte for byte", async () => {
    await rebootFirewall(labPrefix());
    await dockerRules(labPrefix(), true); // Multipass's and Docker's rules around labgate's
    const before = await ruleset();
    const host = await hostService();
    for (const [port, ip] of [
      [8080, '10.120.52.31'],
      [3306, '10.120.52.30'],
    ] as const) {
      expect((await host.create({ name: `:${port}`, listenPort: port, target: { kind: 'static', ip, port } }, 'test')).ok).toBe(true);
    }
    expect(await ruleset()).toContain('LABGATE-FORWARD');

    const removed = await run(CLI, ['remove-rules']);
    expect(removed.stderr).toBe('');
    expect(removed.stdout).toContain("removed labgate's chains and jumps");
    expect(await ruleset()).toBe(before);

    const again = await run(CLI, ['remove-rules']); // idempotent
    expect(again.stdout).toContain('this host has no labgate rules');
    expect(await ruleset()).toBe(before);
    for (const f of host.list()) await host.remove(f.id, 'test');
    expect((await run(CLI, ['remove-rules'])).code).toBe(0); // labgate's empty chains go again
  });
});

describe("the reconciler's cheap check against the real iptables", () => {
  it("labgate's rules as `iptables -S` lists them match the full read after a sync; a flush of either table, a reboot or a rule someone else adds is seen", async () => {
    const host = await hostService();
    for (const [change, make] of [
      ['iptables -t nat -F', () => iptables('-t', 'nat', '-F')],
      ['iptables -F', () => iptables('-t', 'filter', '-F')],
      ['a reboot', () => rebootFirewall(labPrefix())],
      ['a rule added to LABGATE-DNAT', () => iptables('-t', 'nat', '-A', 'LABGATE-DNAT', '-p', 'tcp', '--dport', '9999', '-j', 'RETURN')],
    ] as const) {
      expect((await host.sync()).ok).toBe(true);
      expect((await host.status()).ok).toBe(true);
      expect(await host.kernel.kernelUnchanged(), `after a sync and a full read, before ${change}`).toBe(true);
      await make();
      expect(await host.kernel.kernelUnchanged(), `after ${change}`).toBe(false);
    }
    expect((await host.sync()).ok).toBe(true);
  });
});
