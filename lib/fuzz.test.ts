import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceNetwork } from '@/lib/domain/testing/fixtures';
import type { ResolvedForward } from '@/lib/domain/forwards/forward';
import { resolvedForward } from '@/lib/domain/testing/arbitraries';
import { isCidr, isIpv4 } from '@/lib/domain/network/networks';
import {
  forwardRuleProblem,
  networkRuleProblem,
  OWNED_CHAINS,
  renderRestore,
  renderRules,
  UnsafeRuleValue,
  type HostNetwork,
} from '@/lib/domain/firewall/rules';
import { parseSave, printSave } from '@/lib/domain/firewall/save-parse';
import { PatchService, PinWorkload, SetNodeLabel } from '@/lib/schemas/cluster';
import { CreateForward, UpdateForward } from '@/lib/schemas/forwards';
import { Login } from '@/lib/schemas/session';

const RUNS = Number(process.env.LABGATE_FUZZ_RUNS ?? 1000);
const TIMEOUT = 5_000 + RUNS * 20; // the soak runs ten times as many

/** Inputs shaped like the real ones, with hostile strings and numbers mixed in. */
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('a\nb', '" -j ACCEPT', "'; DROP", 'x'.repeat(10_240), '', ' ', '\u0000', '-A FORWARD -j ACCEPT'),
);
const port = fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.constantFrom('0', '80', '65536', '1e3', 'abc', null));
const loose = fc.oneof(hostile, port, fc.anything());
const forwardLike = fc.record(
  {
    name: fc.oneof(hostile, fc.constantFrom('Grafana', 'MySQL')),
    protocol: fc.oneof(fc.constantFrom('tcp', 'udp', 'sctp'), hostile),
    listenPort: port,
    listenAddress: fc.oneof(fc.ipV4(), hostile),
    target: fc.oneof(
      fc.record({ kind: fc.constant('static'), ip: fc.oneof(fc.ipV4(), hostile), port }),
      fc.record({ kind: fc.constant('instance'), name: fc.oneof(fc.constantFrom('ops', 'nfs'), hostile), port }),
      fc.record({ kind: fc.constant('service'), namespace: fc.oneof(fc.constantFrom('monitoring'), hostile), name: hostile, port }),
      loose,
    ),
    description: hostile,
  },
  { requiredKeys: [] },
);

/** Whatever a schema accepts holds no character that could break out of an iptables-restore line. */
const safe = (v: unknown): boolean =>
  typeof v === 'string' ? !/["'\n\r\\\u0000]/.test(v) : typeof v !== 'object' || v === null || Object.values(v).every(safe);

describe("fuzzing every operation's schema", () => {
  it.each([
    { name: 'CreateForward', schema: CreateForward, input: forwardLike },
    {
      name: 'UpdateForward',
      schema: UpdateForward,
      input: fc
        .record({ id: fc.oneof(fc.stringMatching(/^[a-f0-9]{12}$/), hostile) })
        .chain((r) => forwardLike.map((f) => ({ ...f, ...r }))),
    },
    {
      name: 'SetNodeLabel',
      schema: SetNodeLabel,
      input: fc.record({
        node: fc.oneof(fc.constant('node1'), hostile),
        key: hostile,
        value: hostile,
        resourceVersion: fc.oneof(fc.nat().map(String), hostile),
      }),
    },
    {
      name: 'PatchService',
      schema: PatchService,
      input: fc.record({
        namespace: hostile,
        name: hostile,
        type: fc.oneof(fc.constantFrom('NodePort', 'ClusterIP', 'ExternalName'), hostile),
        nodePorts: fc.dictionary(fc.oneof(fc.nat().map(String), hostile), port),
        resourceVersion: fc.nat().map(String),
      }),
    },
    {
      name: 'PinWorkload',
      schema: PinWorkload,
      input: fc.record({
        kind: fc.oneof(fc.constantFrom('Deployment', 'Pod'), hostile),
        namespace: hostile,
        name: hostile,
        nodeSelector: fc.oneof(fc.constant(null), fc.dictionary(hostile, hostile)),
      }),
    },
    { name: 'Login', schema: Login, input: fc.record({ password: loose }) },
  ])(
    '$name: never throws; whatever it accepts is safe',
    ({ schema, input }) => {
      fc.assert(
        fc.property(fc.oneof(input, loose), (raw) => {
          const res = (schema as { safeParse: (v: unknown) => { success: boolean; data?: unknown } }).safeParse(raw);
          if (res.success && schema !== Login) expect(safe(res.data)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('fuzzing the rule renderer and the parser', () => {
  const net = referenceNetwork;

  it(
    "renders only labgate's chains, one line per rule, and the parser reads it back unchanged",
    () => {
      fc.assert(
        fc.property(fc.uniqueArray(resolvedForward, { selector: (f) => f.id, maxLength: 20 }), (forwards) => {
          const payload = renderRestore(renderRules(forwards, net), { nat: [], filter: [] });
          const lines = payload.trimEnd().split('\n');
          const owned = new Set<string>([...OWNED_CHAINS.nat, ...OWNED_CHAINS.filter]);
          for (const l of lines) {
            if (l.startsWith('-A ')) expect(owned.has(l.split(' ')[1]!)).toBe(true);
            else expect(/^(\*(nat|filter)|COMMIT|:LABGATE-[A-Z]+ - \[0:0\])$/.test(l)).toBe(true);
          }
          // Per forward: its DNAT rules (one for the host, then one for everyone or one per source), a hairpin and a FORWARD rule.
          const perForward = forwards.map((f) => 1 + (f.allowFrom ? f.allowFrom.length : 1) + 2);
          expect(lines.filter((l) => l.startsWith('-A ') && l.includes('labgate:'))).toHaveLength(perForward.reduce((a, b) => a + b, 0));
          expect(printSave(parseSave(payload))).toBe(payload);
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});

describe('fuzzing the renderer with arbitrary values from every source', () => {
  // Strings shaped like the attacks (a rule smuggled after a newline, a quote, a wildcard) and anything at all.
  const smuggled = fc.constantFrom(
    '10.120.52.23\n-I INPUT 1 -j ACCEPT\n-A LABGATE-CANARY -m comment --comment z',
    '10.120.52.23 -j ACCEPT',
    'enp3s0+',
    'enp3s0 -j ACCEPT',
    '10.120.52.23\r',
    '\u0000',
    '"',
    '010.1.1.1',
    '10.0.0.0/8',
  );
  const anyValue = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    smuggled,
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.anything(),
  );
  const maybe = <T>(good: fc.Arbitrary<T>) =>
    fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: anyValue, weight: 1 }) as fc.Arbitrary<never>;
  const forward = fc.record({
    id: maybe(fc.stringMatching(/^[a-z0-9]{6,20}$/)),
    protocol: maybe(fc.constantFrom('tcp', 'udp')),
    listenPort: maybe(fc.integer({ min: 1, max: 65535 })),
    listenAddress: maybe(fc.option(fc.ipV4(), { nil: null })),
    targetIP: maybe(fc.ipV4()),
    targetPort: maybe(fc.integer({ min: 1, max: 65535 })),
    allowFrom: maybe(fc.option(fc.array(fc.oneof(fc.ipV4(), smuggled), { minLength: 1, maxLength: 3 }), { nil: null })),
  }) as fc.Arbitrary<ResolvedForward>;
  const network = fc.record({
    lanInterface: maybe(fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/)),
    lanAddress: maybe(fc.option(fc.ipV4(), { nil: null })),
    lanCidr: maybe(
      fc.option(
        fc.ipV4().map((ip) => `${ip}/24`),
        { nil: null },
      ),
    ),
  }) as fc.Arbitrary<HostNetwork>;
  const owned = new Set<string>([...OWNED_CHAINS.nat, ...OWNED_CHAINS.filter]);

  it(
    "either refuses the value or renders a payload with no control character and no line outside labgate's chains",
    () => {
      let rendered = 0;
      let refused = 0;
      fc.assert(
        fc.property(fc.array(forward, { maxLength: 5 }), network, (forwards, net) => {
          const valid = !networkRuleProblem(net) && forwards.every((f) => !forwardRuleProblem(f));
          let payload: string;
          try {
            payload = renderRestore(renderRules(forwards, net), { nat: [], filter: [] });
          } catch (e) {
            expect(e).toBeInstanceOf(UnsafeRuleValue);
            expect(valid).toBe(false);
            refused++;
            return;
          }
          rendered++;
          expect(valid).toBe(true);
          expect(payload.trimEnd()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
          for (const l of payload.trimEnd().split('\n')) {
            if (/^-[AI] /.test(l)) expect(owned.has(l.split(' ')[1]!)).toBe(true);
            else expect(l).toMatch(/^(\*(nat|filter)|COMMIT|:LABGATE-[A-Z]+ - \[0:0\])$/);
          }
          for (const f of forwards) expect(isIpv4(f.targetIP) && (f.listenAddress === null || isIpv4(f.listenAddress))).toBe(true);
          expect(net.lanCidr === null || isCidr(net.lanCidr)).toBe(true);
        }),
        { numRuns: RUNS },
      );
      // Both outcomes were exercised, so neither branch's checks are vacuous.
      expect(rendered).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
    },
    TIMEOUT,
  );
});
