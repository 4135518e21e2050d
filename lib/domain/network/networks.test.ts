import { describe, expect, it } from 'vitest';
import { allowedFrom, canonicalSource, shownSource, splitSources } from './networks';

describe("canonicalSource: an access rule's source as the kernel keeps it", () => {
  it.each<[string, string | null]>([
    ['192.168.50.10', '192.168.50.10/32'],
    ['192.168.50.10/32', '192.168.50.10/32'],
    ['192.168.50.10/24', '192.168.50.0/24'], // iptables stores the network's base
    ['10.8.0.0/16', '10.8.0.0/16'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.0.0.0/7', null], // wider than /8
    ['0.0.0.0/0', null], // everyone is no access rule
    ['192.168.50.10/33', null],
    ['192.168.50.10/', null],
    ['192.168.50.10/2x', null],
    ['192.168.50.10/24/1', null],
    ['192.168.050.10', null],
    ['grafana.local', null],
    ['', null],
    ['192.168.50.10 -j ACCEPT', null],
  ])('%j → %j', (value, want) => {
    expect(canonicalSource(value)).toBe(want);
  });
});

describe('allowedFrom', () => {
  it.each<[string, string[] | null, boolean]>([
    ['192.168.50.10', null, true],
    ['192.168.50.10', ['192.168.50.10/32'], true],
    ['192.168.50.11', ['192.168.50.10/32'], false],
    ['192.168.50.11', ['192.168.50.10/32', '192.168.50.0/24'], true],
    ['10.120.52.31', ['192.168.50.0/24'], false],
  ])('%s with %j: %s', (ip, allowFrom, want) => {
    expect(allowedFrom(ip, allowFrom)).toBe(want);
  });
});

describe('sources as a person writes and reads them', () => {
  it.each<[string, string[]]>([
    ['192.168.50.10, 192.168.50.0/28', ['192.168.50.10', '192.168.50.0/28']],
    [' 192.168.50.10\n192.168.50.11 ,,', ['192.168.50.10', '192.168.50.11']],
    ['  ', []],
  ])('splitSources(%j)', (text, want) => expect(splitSources(text)).toEqual(want));

  it.each([
    ['192.168.50.10/32', '192.168.50.10'],
    ['192.168.50.0/24', '192.168.50.0/24'],
  ])('shownSource(%s) = %s', (source, want) => expect(shownSource(source)).toBe(want));
});
