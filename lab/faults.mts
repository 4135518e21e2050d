// Faults a real host can have, switched on and off by tests: here, an iptables-restore that fails.
import fs from 'node:fs';
import path from 'node:path';
import type { LabPaths } from './paths.mts';

/**
 * Wrappers first on labgate's PATH for the restore tools it runs. While the switch is on they
 * run the real tool without CAP_NET_ADMIN, so it fails exactly as on a host whose service lost
 * the capability; off, they are the real tool. iptables-save is left alone: reading still works.
 */
export function installRestoreSwitch(p: LabPaths): void {
  fs.mkdirSync(p.bin, { recursive: true });
  for (const tool of ['iptables-nft-restore', 'iptables-legacy-restore']) {
    const script = [
      '#!/bin/sh',
      `PATH="$(printf %s "$PATH" | sed 's#${p.bin}:##')"`,
      // root loses it from the bounding set; a service user holding it as an ambient capability, from there.
      `if [ -e '${p.restoreFails}' ]; then`,
      `  if [ "$(id -u)" = 0 ]; then exec setpriv --bounding-set=-net_admin --inh-caps=-net_admin ${tool} "$@"; fi`,
      `  exec setpriv --inh-caps=-net_admin --ambient-caps=-net_admin ${tool} "$@"`,
      'fi',
      `exec ${tool} "$@"`,
      '',
    ].join('\n');
    fs.writeFileSync(path.join(p.bin, tool), script, { mode: 0o755 });
  }
}

export function setRestoreFailing(p: LabPaths, failing: boolean): void {
  if (failing) fs.writeFileSync(p.restoreFails, '');
  else fs.rmSync(p.restoreFails, { force: true });
}
