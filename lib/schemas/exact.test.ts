import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PatchService, PinWorkload, RemoveNodeLabel, SetNodeLabel } from './cluster';
import { fieldErrorsOf } from './errors';
import { ExposeTarget } from './expose';
import { readForwardForm } from './forward-form';
import { AdoptRule, CreateForward, UpdateForward } from './forwards';
import { AuditRecord, JournalPut } from './host';
import { Login } from './session';

const RUNS = Number(process.env.LABGATE_FUZZ_RUNS ?? 1000) / 10;
const jenkins = { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } };

/** Every operation's schema with an input it takes, and where in that input a number goes. */
const SCHEMAS = [
  { name: 'CreateForward', schema: CreateForward, valid: jenkins, numbers: [['listenPort'], ['target', 'port']] },
  { name: 'UpdateForward', schema: UpdateForward, valid: { id: 'abcdef123456', listenPort: 8081 }, numbers: [['listenPort']] },
  { name: 'AdoptRule', schema: AdoptRule, valid: { ruleKey: 'nat/PREROUTING/tcp/8080', confirm: true }, numbers: [] },
  { name: 'SetNodeLabel', schema: SetNodeLabel, valid: { node: 'node2', key: 'type', value: 'ui', resourceVersion: '12' }, numbers: [] },
  { name: 'RemoveNodeLabel', schema: RemoveNodeLabel, valid: { node: 'node2', key: 'type', resourceVersion: '12' }, numbers: [] },
  {
    name: 'PatchService',
    schema: PatchService,
    valid: { namespace: 'default', name: 'redis', type: 'NodePort', nodePorts: { '6379': 31999 }, resourceVersion: '7' },
    numbers: [['nodePorts', '6379']],
  },
  {
    name: 'PinWorkload',
    schema: PinWorkload,
    valid: { kind: 'Deployment', namespace: 'default', name: 'whoami', nodeSelector: { type: 'ui' } },
    numbers: [],
  },
  { name: 'ExposeTarget', schema: ExposeTarget, valid: { kind: 'instance', instance: 'ops', port: 8080 }, numbers: [['port']] },
  { name: 'Login', schema: Login, valid: { password: 'a long enough password' }, numbers: [] },
  { name: 'AuditRecord', schema: AuditRecord, valid: { action: 'node.label', subject: 'node2', detail: '', result: 'ok' }, numbers: [] },
  { name: 'JournalPut', schema: JournalPut, valid: { id: 'abcdef123456', operation: 'expose', state: 'done', steps: [] }, numbers: [] },
] as const;

type Schema = (typeof SCHEMAS)[number]['schema'];
const parse = (schema: Schema, input: unknown) =>
  (schema as { safeParse: (v: unknown) => ReturnType<typeof CreateForward.safeParse> }).safeParse(input);
const withValue = (input: object, at: readonly string[], value: unknown): object => {
  const copy = structuredClone(input) as Record<string, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[at[at.length - 1]!] = value;
  return copy;
};

describe('every schema: numbers are numbers and objects are exact', () => {
  it.each(SCHEMAS)('$name takes its valid input', ({ schema, valid }) => expect(parse(schema, valid).success).toBe(true));

  // What a coercing schema took: true as 1, [31556] as 31556, "1e4" as 10000, "8080" as 8080.
  it.each(SCHEMAS.flatMap((s) => s.numbers.map((at) => ({ ...s, at, where: at.join('.') }))))(
    '$name refuses anything but a number at $where',
    ({ schema, valid, at }) => {
      const nullable = at[0] === 'nodePorts'; // null there asks the cluster to pick one
      for (const value of [true, false, [31556], '1e4', '8080', '', ...(nullable ? [] : [null]), {}, 8080.5, Number.NaN]) {
        const res = parse(schema, withValue(valid, at, value));
        expect(res.success, `${JSON.stringify(value)} at ${at.join('.')}`).toBe(false);
      }
    },
  );

  it.each(SCHEMAS)('$name refuses a key it does not know, by name, at any depth', ({ schema, valid }) => {
    const objects = (v: unknown, at: string[] = []): string[][] =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? [at, ...Object.entries(v).flatMap(([k, x]) => (k === 'nodePorts' || k === 'nodeSelector' ? [] : objects(x, [...at, k])))]
        : [];
    fc.assert(
      fc.property(fc.constantFrom(...objects(valid)), fc.stringMatching(/^[a-z][A-Za-z]{2,12}$/), fc.anything(), (at, key, value) => {
        const holder = at.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, valid as Record<string, unknown>);
        fc.pre(!(key in holder) && key !== 'steps');
        const res = parse(schema, at.length ? withValue(valid, [...at, key], value) : { ...valid, [key]: value });
        expect(res.success).toBe(false);
        if (!res.success) expect(Object.values(fieldErrorsOf(res.error)).flat()).toContain(`Unknown field: ${key}.`);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the forward form and the host API as a new user meets them', () => {
  it.each([
    { name: 'no name', input: { ...jenkins, name: undefined }, field: 'name', message: 'Give the forward a name.' },
    { name: 'an empty name', input: { ...jenkins, name: ' ' }, field: 'name', message: 'Give the forward a name.' },
    { name: 'listenPort true', input: { ...jenkins, listenPort: true }, field: 'listenPort', message: 'Enter a port number.' },
    {
      name: 'target port true',
      input: { ...jenkins, target: { ...jenkins.target, port: true } },
      field: 'target.port',
      message: 'Enter a port number.',
    },
    { name: 'an unknown key', input: { ...jenkins, listenPorts: 8080 }, field: 'form', message: 'Unknown field: listenPorts.' },
  ])('$name: refused at $field with "$message"', ({ input, field, message }) => {
    const res = CreateForward.safeParse(input);
    expect(res.success).toBe(false);
    if (!res.success) expect(fieldErrorsOf(res.error)[field]).toContain(message);
  });

  it.each([
    { listenPort: '8080', ok: true },
    { listenPort: '1e4', ok: false },
    { listenPort: '0x50', ok: false },
    { listenPort: '-1', ok: false },
    { listenPort: '80.0', ok: false },
  ])('a form field "$listenPort": ok $ok', ({ listenPort, ok }) => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ name: 'Jenkins', listenPort, targetKind: 'instance', targetInstance: 'ops', targetPort: '8080' }))
      form.set(k, v);
    const res = CreateForward.safeParse(readForwardForm(form));
    expect(res.success).toBe(ok);
    if (res.success) expect(res.data.listenPort).toBe(8080);
  });
});
