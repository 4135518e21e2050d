import { describe, expect, it } from 'vitest';
import { safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it.each([
    { next: '/nodes', want: '/nodes' },
    { next: '/services?ns=monitoring', want: '/services?ns=monitoring' },
    { next: undefined, want: '/' },
    { next: ['/a', '/b'], want: '/' },
    { next: 'nodes', want: '/' },
    { next: '//evil.example/x', want: '/' },
    { next: '/\\evil.example', want: '/' },
    { next: 'https://evil.example/', want: '/' },
    { next: '/\tevil', want: '/' },
    { next: `/${'a'.repeat(600)}`, want: '/' },
  ])('$next → $want', ({ next, want }) => expect(safeNextPath(next)).toBe(want));
});
