import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedForward } from '@/lib/domain/forward';
import { OWNED_CHAINS, renderRestore, renderRules } from '@/lib/domain/rules';
import { parseSave, printSave } from '@/lib/host/firewall/save-parse';
import { PatchService, PinWorkload, SetNodeLabel } from '@/lib/schemas/cluster';
import { CreateForward, UpdateForward } from '@/lib/schemas/forwards';
import { Login } from '@/lib/schemas/session';

const RUNS = Number(process.env.LABGATE_FUZZ_RUNS ?? 1000);
const TIMEOUT = 5_000 + RUNS * 20; // the soak runs ten times as many

/** Inputs shaped like the real ones, with hostile strings and numbers mixed in. */
const hostile = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('a\nb', '" -j ACCEPT', "'; DROP", 'x'.repeat(10_240), '', ' ', '\u0000', '-A FORWARD -j ACCEPT'));
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
const safe = (v: unknown): boolean => (typeof v === 'string' ? !/["'\n\r\\\u0000]/.test(v) : typeof v !== 'object' || v === null || Object.values(v).every(safe));

describe('fuzzing every operation\'s schema', () => {
  it.each([
    { name: 'CreateForward', schema: CreateForward, input: forwardLike },
    { name: 'UpdateForward', schema: UpdateForward, input: fc.record({ id: fc.oneof(fc.stringMatching(/^[a-f0-9]{12}$/), hostile) }).chain((r) => forwardLike.map((f) => ({ ...f, ...r }))) },
    { name: 'SetNodeLabel', schema: SetNodeLabel, input: fc.record({ node: fc.oneof(fc.constant('node1'), hostile), key: hostile, value: hostile, resourceVersion: fc.oneof(fc.nat().map(String), hostile) }) },
    { name: 'PatchService', schema: PatchService, input: fc.record({ namespace: hostile, name: hostile, type: fc.oneof(fc.constantFrom('NodePort', 'ClusterIP', 'ExternalName'), hostile), nodePorts: fc.dictionary(fc.oneof(fc.nat().map(String), hostile), port), resourceVersion: fc.nat().map(String) }) },
    { name: 'PinWorkload', schema: PinWorkload, input: fc.record({ kind: fc.oneof(fc.constantFrom('Deployment', 'Pod'), hostile), namespace: hostile, name: hostile, nodeSelector: fc.oneof(fc.constant(null), fc.dictionary(hostile, hostile)) }) },
    { name: 'Login', schema: Login, input: fc.record({ password: loose }) },
  ])('$name: never throws; whatever it accepts is safe', ({ schema, input }) => {
    fc.assert(
      fc.property(fc.oneof(input, loose), (raw) => {
        const res = (schema as { safeParse: (v: unknown) => { success: boolean; data?: unknown } }).safeParse(raw);
        if (res.success && schema !== Login) expect(safe(res.data)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

const resolvedForward: fc.Arbitrary<ResolvedForward> = fc.record({
  id: fc.stringMatching(/^[a-z0-9]{6,20}$/),
  protocol: fc.constantFrom('tcp', 'udp'),
  listenPort: fc.integer({ min: 1, max: 65535 }),
  listenAddress: fc.option(fc.ipV4(), { nil: null }),
  targetIP: fc.ipV4(),
  targetPort: fc.integer({ min: 1, max: 65535 }),
});

describe('fuzzing the rule renderer and the parser', () => {
  const net = { lanInterface: 'enp3s0', lanAddress: '192.168.50.27', lanCidr: '192.168.50.0/24' };

  it('renders only labgate\'s chains, one line per rule, and the parser reads it back unchanged', () => {
    fc.assert(
      fc.property(fc.uniqueArray(resolvedForward, { selector: (f) => f.id, maxLength: 20 }), (forwards) => {
        const payload = renderRestore(renderRules(forwards, net), { nat: [], filter: [] });
        const lines = payload.trimEnd().split('\n');
        const owned = new Set<string>([...OWNED_CHAINS.nat, ...OWNED_CHAINS.filter]);
        for (const l of lines) {
          if (l.startsWith('-A ')) expect(owned.has(l.split(' ')[1]!)).toBe(true);
          else expect(/^(\*(nat|filter)|COMMIT|:LABGATE-[A-Z]+ - \[0:0\])$/.test(l)).toBe(true);
        }
        expect(lines.filter((l) => l.startsWith('-A ') && l.includes('labgate:'))).toHaveLength(forwards.length * 3);
        expect(printSave(parseSave(payload))).toBe(payload);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});
