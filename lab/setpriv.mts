// How a unit's user and capabilities are reproduced for a process started by a test.

/**
 * setpriv's arguments for running as this user with these groups, holding exactly these
 * capabilities (ambient, so they survive exec) and no way to gain more — as a unit's User=,
 * SupplementaryGroups=, AmbientCapabilities=, CapabilityBoundingSet= and NoNewPrivileges= do.
 */
export function asUser(uid: number, gid: number, groups: number[], caps: string[]): string[] {
  const set = ['-all', ...caps.map((c) => `+${c}`)].join(',');
  return [
    `--reuid=${uid}`,
    `--regid=${gid}`,
    groups.length ? `--groups=${groups.join(',')}` : '--clear-groups',
    `--inh-caps=${set}`,
    `--ambient-caps=${set}`,
    `--bounding-set=${set}`,
    '--no-new-privs',
  ];
}
