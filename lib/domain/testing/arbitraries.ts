import fc from 'fast-check';
import type { ResolvedForward } from '../forwards/forward';
import { canonicalSource } from '../network/networks';

/** Any forward the rule renderer may be given: the fuzz tests' one generator, for the parser and for the real iptables alike. */
export const resolvedForward: fc.Arbitrary<ResolvedForward> = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{6,20}$/),
  protocol: fc.constantFrom('tcp', 'udp'),
  listenPort: fc.integer({ min: 1, max: 65535 }),
  listenAddress: fc.option(fc.ipV4(), { nil: null }),
  targetIP: fc.ipV4(),
  targetPort: fc.integer({ min: 1, max: 65535 }),
  allowFrom: fc.option(
    fc.uniqueArray(
      fc.tuple(fc.ipV4(), fc.integer({ min: 8, max: 32 })).map(([ip, bits]) => canonicalSource(`${ip}/${bits}`)!),
      { minLength: 1, maxLength: 4 },
    ),
    { nil: null },
  ),
});
