import { describe, expect, it } from 'vitest';
import { CreateForward, UpdateForward } from './forwards';

const jenkins = { name: 'Jenkins', listenPort: 8080, target: { kind: 'instance', name: 'ops', port: 8080 } };

describe("a forward's access rule", () => {
  it.each<[string, unknown, string[]]>([
    ['an address becomes its /32', ['192.168.50.10'], ['192.168.50.10/32']],
    ['a network is kept by its base, as the kernel keeps it', ['192.168.50.77/24'], ['192.168.50.0/24']],
    ['spaces around an entry go', [' 192.168.50.10 '], ['192.168.50.10/32']],
    ['the same source twice is one', ['192.168.50.10', '192.168.50.10/32'], ['192.168.50.10/32']],
  ])('%s', (_what, allowFrom, want) => {
    const parsed = CreateForward.safeParse({ ...jenkins, allowFrom });
    expect(parsed.success && parsed.data.allowFrom).toEqual(want);
  });

  it.each<[string, unknown, RegExp]>([
    ['a name', ['grafana.local'], /grafana\.local is not an IPv4 address or network/],
    ['wider than /8', ['10.0.0.0/4'], /no wider than \/8/],
    ['no source at all', [], /at least one/],
    ['33 sources', Array.from({ length: 33 }, (_, i) => `10.0.0.${i}`), /At most 32/],
    ['not a list', '192.168.50.10', /List the addresses/],
  ])('refused: %s', (_what, allowFrom, message) => {
    const parsed = CreateForward.safeParse({ ...jenkins, allowFrom });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join(' ')).toMatch(message);
  });

  it('none: everyone on the LAN; on an edit, null lets everyone in again', () => {
    expect(CreateForward.parse(jenkins).allowFrom).toBeUndefined();
    expect(UpdateForward.parse({ id: 'abcdef123456', allowFrom: null }).allowFrom).toBeNull();
  });
});
