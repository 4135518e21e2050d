export interface NavItem {
  href: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/instances', label: 'Instances' },
  { href: '/nodes', label: 'Nodes' },
  { href: '/services', label: 'Services' },
  { href: '/forwards', label: 'Forwards' },
  { href: '/activity', label: 'Activity' },
];

/** The nav item a path belongs to: the longest matching prefix, so /nodes/node1 lights up Nodes. */
export function activeHref(pathname: string, items: readonly NavItem[] = NAV_ITEMS): string | undefined {
  return items
    .filter((i) => pathname === i.href || (i.href !== '/' && pathname.startsWith(`${i.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}
