import { describe, expect, it } from 'vitest';
import { formatBytes, formatLabel, formatPercent, formatUsage, safeHref } from './format';

describe('format', () => {
  it.each([
    { bytes: 0, want: '0 B' },
    { bytes: 1023, want: '1023 B' },
    { bytes: 1536, want: '1.5 KiB' },
    { bytes: 4005175296, want: '3.7 GiB' },
    { bytes: 20244400128, want: '19 GiB' },
    { bytes: null, want: '—' },
  ])('$bytes → $want', ({ bytes, want }) => expect(formatBytes(bytes)).toBe(want));

  it('formats usage and labels', () => {
    expect(formatUsage({ used: 1024, total: 2048 })).toBe('1.0 KiB / 2.0 KiB');
    expect(formatUsage(null)).toBe('—');
    expect(formatLabel('node-role.kubernetes.io/control-plane', '')).toBe('node-role.kubernetes.io/control-plane');
    expect(formatLabel('type', 'ui')).toBe('type=ui');
  });
});

describe('formatPercent', () => {
  it.each([
    [null, '—'],
    [1, '100%'],
    [0.99999, '99.9%'],
    [0.9912, '99.1%'],
    [0.989, '98%'],
    [0.75, '75%'],
    [0.049, '4%'],
    [0, '0%'],
  ])('%s is %s', (share, shown) => expect(formatPercent(share)).toBe(shown));
});

describe('safeHref', () => {
  it.each([
    { url: 'http://192.168.50.27:30060/', want: 'http://192.168.50.27:30060/' },
    { url: 'https://grafana.local/', want: 'https://grafana.local/' },
    { url: 'javascript:alert(1)', want: undefined },
    { url: 'JavaScript:alert(1)', want: undefined },
    { url: 'data:text/html,<script>alert(1)</script>', want: undefined },
    { url: '//evil.example/', want: undefined },
    { url: '', want: undefined },
    { url: null, want: undefined },
  ])('$url → $want', ({ url, want }) => expect(safeHref(url)).toBe(want));
});
