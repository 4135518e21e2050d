import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceNetwork } from '@/lib/domain/testing/fixtures';
import { run } from '@/lab/exec.mts';
import { ruleset } from '@/lab/testing.mts';
import { resolvedForward } from '@/lib/domain/testing/arbitraries';
import { renderRestore, renderRules } from '@/lib/domain/firewall/rules';
import { hostService } from './wiring';

const RUNS = Number(process.env.LABGATE_FUZZ_RUNS ?? 1000);
const STATEFUL_RUNS = Number(process.env.LABGATE_FUZZ_RUNS ?? 1000);
const net = referenceNetwork;

describe('fuzzing against the real iptables', () => {
  it(
    `iptables-restore --test accepts every rendered payload (${RUNS} runs)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(resolvedForward, { selector: (f) => f.id, maxLength: 8 }), async (forwards) => {
          const payload = renderRestore(renderRules(forwards, net), { nat: [], filter: [] });
          const res = await run('iptables-restore', ['--test', '--noflush'], { input: payload });
          expect(res.stderr).toBe('');
          expect(res.code).toBe(0);
        }),
        { numRuns: RUNS },
      );
    },
    60_000 + RUNS * 300,
  );

  it(
    `a rejected forward leaves the store and the kernel untouched (${STATEFUL_RUNS} runs)`,
    async () => {
      const host = await hostService();
      const hostile = fc.oneof(
        fc.string(),
        fc.constantFrom('a\nb', '" -j ACCEPT', 'x'.repeat(10_240), ''),
        fc.integer({ min: -5, max: 70_000 }),
        fc.anything(),
      );
      const input = fc.oneof(
        fc.record(
          {
            name: hostile,
            listenPort: hostile,
            target: fc.oneof(
              hostile,
              fc.record({
                kind: fc.constantFrom('static', 'instance', 'service'),
                ip: hostile,
                name: hostile,
                namespace: hostile,
                port: hostile,
              }),
            ),
            description: hostile,
          },
          { requiredKeys: [] },
        ),
        hostile,
      );
      await fc.assert(
        fc.asyncProperty(input, async (raw) => {
          const [storeBefore, kernelBefore] = [JSON.stringify(host.desired()), await ruleset()];
          const res = await host.create(raw, 'fuzz');
          if (res.ok) {
            await host.remove(res.data.id, 'fuzz');
            return;
          }
          expect(JSON.stringify(host.desired())).toBe(storeBefore);
          expect(await ruleset()).toBe(kernelBefore);
        }),
        { numRuns: STATEFUL_RUNS },
      );
    },
    60_000 + STATEFUL_RUNS * 300,
  );
});
