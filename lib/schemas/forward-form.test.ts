import { describe, expect, it } from 'vitest';
import { readForwardForm } from './forward-form';
import { CreateForward } from './forwards';

const form = (fields: Record<string, string | undefined>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) f.set(k, v);
  return f;
};

describe('the forward form and its schema', () => {
  it.each([
    {
      name: 'a service forward',
      fields: {
        name: 'Grafana',
        listenPort: '30060',
        targetKind: 'service',
        targetNamespace: 'monitoring',
        targetService: 'kps-grafana',
        targetPort: '80',
      },
      ok: true,
    },
    {
      name: 'an instance forward',
      fields: { name: 'Jenkins', listenPort: '8080', targetKind: 'instance', targetInstance: 'ops', targetPort: '8080' },
      ok: true,
    },
    {
      name: 'a static udp forward',
      fields: { name: 'DNS', protocol: 'udp', listenPort: '5353', targetKind: 'static', targetIp: '10.120.52.30', targetPort: '53' },
      ok: true,
    },
    {
      name: 'port 0',
      fields: { name: 'x', listenPort: '0', targetKind: 'static', targetIp: '10.120.52.30', targetPort: '53' },
      ok: false,
      field: 'listenPort',
    },
    {
      name: 'port 70000',
      fields: { name: 'x', listenPort: '70000', targetKind: 'static', targetIp: '10.120.52.30', targetPort: '53' },
      ok: false,
      field: 'listenPort',
    },
    {
      name: 'a newline in the name',
      fields: { name: 'a\nb', listenPort: '80', targetKind: 'static', targetIp: '10.120.52.30', targetPort: '53' },
      ok: false,
      field: 'name',
    },
    {
      name: 'quotes in the name',
      fields: { name: 'a"b', listenPort: '80', targetKind: 'static', targetIp: '10.120.52.30', targetPort: '53' },
      ok: false,
      field: 'name',
    },
    {
      name: '-j ACCEPT in the description is fine text but no quotes',
      fields: {
        name: 'x',
        listenPort: '80',
        targetKind: 'static',
        targetIp: '10.120.52.30',
        targetPort: '53',
        description: '"; -j ACCEPT',
      },
      ok: false,
      field: 'description',
    },
    {
      name: 'a 10 KB name',
      fields: { name: 'a'.repeat(10_240), listenPort: '80', targetKind: 'static', targetIp: '10.120.52.30', targetPort: '53' },
      ok: false,
      field: 'name',
    },
    {
      name: 'not an address',
      fields: { name: 'x', listenPort: '80', targetKind: 'static', targetIp: '10.120.52.300', targetPort: '53' },
      ok: false,
      field: 'target.ip',
    },
    {
      name: 'an upper-case namespace',
      fields: { name: 'x', listenPort: '80', targetKind: 'service', targetNamespace: 'Monitoring', targetService: 'g', targetPort: '80' },
      ok: false,
      field: 'target.namespace',
    },
  ])('$name', ({ fields, ok, field }) => {
    const parsed = CreateForward.safeParse(readForwardForm(form(fields)));
    expect(parsed.success).toBe(ok);
    if (!parsed.success && field) expect(parsed.error.issues.map((i) => i.path.join('.'))).toContain(field);
  });
});

describe('the access field', () => {
  const jenkins = { name: 'Jenkins', listenPort: '8080', targetKind: 'instance', targetInstance: 'ops', targetPort: '8080' };
  it.each<[string, Record<string, string>, string | null, string[] | undefined]>([
    ['no choice: everyone on the LAN, no rule', {}, '192.168.50.10', undefined],
    ['everyone on the LAN', { access: 'lan', allowFrom: '192.168.50.10' }, '192.168.50.10', undefined],
    [
      'the listed sources, split on commas, spaces and lines',
      { access: 'list', allowFrom: '192.168.50.10, 10.8.0.0/16\n192.168.50.11' },
      null,
      ['192.168.50.10/32', '10.8.0.0/16', '192.168.50.11/32'],
    ],
    [
      'only this device: the address the server saw, whatever the form says',
      { access: 'device', allowFrom: '10.0.0.1' },
      '192.168.50.10',
      ['192.168.50.10/32'],
    ],
  ])('%s', (_what, fields, device, want) => {
    const parsed = CreateForward.safeParse(readForwardForm(form({ ...jenkins, ...fields }), device));
    expect(parsed.success && parsed.data.allowFrom).toEqual(want);
  });

  it.each<[string, Record<string, string>, string | null]>([
    ['a list with nothing in it', { access: 'list', allowFrom: ' ' }, null],
    ['only this device, when its address is not IPv4', { access: 'device' }, null],
  ])('refused: %s', (_what, fields, device) => {
    const parsed = CreateForward.safeParse(readForwardForm(form({ ...jenkins, ...fields }), device));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path[0]).toBe('allowFrom');
  });
});
