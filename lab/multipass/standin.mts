// The lab's Multipass: a state file the stand-in CLI answers from, a wrapper put first on
// labgate's PATH, and the daemon's effect on the host's firewall when it stops or starts.
import fs from 'node:fs';
import path from 'node:path';
import { NamespaceFirewall } from '../firewall.mts';
import { seedState, type OutputFormat, type StandInState } from './model.mts';
import { REPO, type LabPaths } from '../paths.mts';
import { namespaces } from '../topology.mts';

export function readStandIn(p: LabPaths): StandInState {
  return JSON.parse(fs.readFileSync(p.multipassState, 'utf8')) as StandInState;
}

/** Written whole and renamed, so a concurrent `multipass list` never reads half a file. */
export function writeStandIn(p: LabPaths, state: StandInState): void {
  const tmp = `${p.multipassState}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2), { mode: 0o644 });
  fs.renameSync(tmp, p.multipassState);
}

/** The stand-in's command, which every local user may run, as the snap's /snap/bin/multipass. */
export function installStandIn(p: LabPaths, format: OutputFormat): void {
  fs.mkdirSync(p.bin, { recursive: true, mode: 0o755 });
  fs.chmodSync(p.shared, 0o755);
  fs.copyFileSync(process.execPath, p.node);
  fs.chmodSync(p.node, 0o755);
  writeStandIn(p, seedState(format));
  const wrapper = [
    '#!/bin/sh',
    "# The lab's stand-in for the multipass CLI.",
    `LABGATE_LAB_MULTIPASS_STATE='${p.multipassState}' exec '${p.node}' '${path.join(REPO, 'lab', 'multipass', 'cli.mts')}' "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(p.bin, 'multipass'), wrapper, { mode: 0o755 });
}

/** multipassd, when it stops or starts, deletes every rule naming its comment, bridge or subnet; on start it puts its own back. */
export async function setMultipassDaemon(prefix: string, p: LabPaths, to: 'running' | 'stopped'): Promise<void> {
  const state = readStandIn(p);
  const fw = new NamespaceFirewall(namespaces(prefix).host);
  await fw.removeMultipassRules(state.bridge, state.subnet);
  if (to === 'running') await fw.applyMultipassRules(state.bridge, state.subnet);
  writeStandIn(p, { ...state, daemon: to });
}
