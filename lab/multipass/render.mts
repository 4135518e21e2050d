// The stand-in's answers, byte for byte as the real CLI prints them (formats and errors from
// canonical/multipass json_formatter.cpp and client_common.cpp; see lab/fixtures/multipass).
import { printDocument, type Json } from './json.mts';
import { IMAGE, VERSIONS, type StandInInstance, type StandInState } from './model.mts';

export interface CliAnswer {
  stdout: string;
  stderr: string;
  code: number;
}

/** The states in which the daemon reports an instance's addresses and telemetry. */
export const RUNNING_STATES = new Set(['Running', 'Delayed Shutdown']);
const ok = (stdout: string): CliAnswer => ({ stdout, stderr: '', code: 0 });
const fail = (command: string, message: string): CliAnswer => ({ stdout: '', stderr: `${command} failed: ${message}\n`, code: 2 });
const zone = (i: StandInInstance): Json => ({ name: i.zone, available: true });
const ipv4 = (i: StandInInstance) => (RUNNING_STATES.has(i.state) ? i.ipv4 : []);

function listEntry(i: StandInInstance, state: StandInState): Json {
  const base: Record<string, Json> = { name: i.name, state: i.state, ipv4: ipv4(i), release: `Ubuntu ${IMAGE.release}` };
  return state.format === 'zones' ? { ...base, zone: zone(i) } : base;
}

/**
 * Telemetry as a real daemon's moves between calls: `tick` (the CLI gives the current second; 0
 * is the seeded state, which the fixtures hold) shifts load, memory and disk use a little.
 */
export function withTelemetry(i: StandInInstance, tick: number): StandInInstance {
  if (tick === 0) return i;
  const shift = tick % 97;
  return {
    ...i,
    load: i.load.map((l, k) => Math.round((l + ((shift * (k + 1)) % 13) / 100) * 100) / 100),
    memory: i.memory && { ...i.memory, used: i.memory.used + shift * 4096 },
    disk: i.disk && { ...i.disk, used: String(Number(i.disk.used) + shift * 512) },
  };
}

function infoEntry(i: StandInInstance, state: StandInState, tick: number): Json {
  i = withTelemetry(i, tick);
  const up = RUNNING_STATES.has(i.state);
  const entry: Record<string, Json> = {};
  if (state.format === 'zones') entry.zone = zone(i);
  Object.assign(entry, {
    state: i.state,
    image_hash: IMAGE.hash,
    image_release: IMAGE.release,
    release: up ? IMAGE.guestRelease : '',
    cpu_count: up ? i.cpuCount : '',
    snapshot_count: i.snapshotCount,
    load: up ? i.load : [],
    disks: { sda1: up && i.disk ? { used: i.disk.used, total: i.disk.total } : {} },
    memory: up && i.memory ? { used: i.memory.used, total: i.memory.total } : {},
    ipv4: ipv4(i),
    mounts: Object.fromEntries(
      Object.entries(i.mounts).map(([target, m]) => [
        target,
        { uid_mappings: m.uidMappings, gid_mappings: m.gidMappings, source_path: m.sourcePath },
      ]),
    ),
  });
  return entry;
}

/** `multipass <args…>` answered from the stand-in's state, its telemetry moved by `tick`. */
export function answer(args: readonly string[], state: StandInState, tick = 0): CliAnswer {
  const [command = '', ...rest] = args;
  const sorted = state.format === 'release'; // Qt's QJsonObject orders keys; Boost.JSON keeps insertion order
  const formatIndex = rest.findIndex((a) => a === '--format' || a.startsWith('--format='));
  const format = formatIndex < 0 ? 'table' : rest[formatIndex]!.includes('=') ? rest[formatIndex]!.split('=')[1] : rest[formatIndex + 1];
  const positional = rest.filter((a, i) => !a.startsWith('-') && !(formatIndex >= 0 && i === formatIndex + 1));

  if (command === 'version') {
    const daemon = state.daemon === 'running' ? VERSIONS[state.format] : undefined;
    if (format === 'json')
      return ok(
        printDocument(daemon ? { multipass: VERSIONS[state.format], multipassd: daemon } : { multipass: VERSIONS[state.format] }, sorted),
      );
    return ok(`multipass   ${VERSIONS[state.format]}\n${daemon ? `multipassd  ${daemon}\n` : ''}`);
  }
  if (command !== 'list' && command !== 'info' && command !== 'ls') {
    return { stdout: '', stderr: `Unknown command: '${command}'. Run 'multipass help' for usage.\n`, code: 1 };
  }
  if (format !== 'json') return { stdout: '', stderr: 'labgate lab: only --format json is offered by this stand-in\n', code: 1 };
  const name = command === 'ls' ? 'list' : command;
  if (state.daemon !== 'running') return fail(name, 'cannot connect to the multipass socket');

  if (name === 'list') return ok(printDocument({ list: state.instances.map((i) => listEntry(i, state)) }, sorted));

  const missing = positional.filter((n) => !state.instances.some((i) => i.name === n));
  if (missing.length) return fail('info', missing.map((n) => `instance "${n}" does not exist`).join('\n'));
  const chosen = positional.length ? positional.map((n) => state.instances.find((i) => i.name === n)!) : state.instances;
  const warning =
    rest.includes('--all') && state.format === 'release'
      ? 'Warning: the `--all` flag for the `info` command is deprecated. Please use `info` with no positional arguments for the same effect.\n'
      : '';
  const info = Object.fromEntries(chosen.map((i) => [i.name, infoEntry(i, state, tick)]));
  return { ...ok(printDocument({ errors: [], info }, sorted)), stderr: warning };
}
