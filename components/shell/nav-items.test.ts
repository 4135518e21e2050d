import { describe, expect, it } from 'vitest';
import { activeHref, NAV_ITEMS } from './nav-items';

describe('activeHref', () => {
  it.each([
    { path: '/', want: '/' },
    { path: '/nodes', want: '/nodes' },
    { path: '/nodes/node1', want: '/nodes' },
    { path: '/services/monitoring/kps-grafana', want: '/services' },
    { path: '/nodesx', want: undefined },
    { path: '/unknown', want: undefined },
  ])('$path → $want', ({ path, want }) => expect(activeHref(path)).toBe(want));

  it('lists the six areas in order', () => {
    expect(NAV_ITEMS.map((i) => i.label)).toEqual(['Overview', 'Instances', 'Nodes', 'Services', 'Forwards', 'Activity']);
  });
});
