import * as grpc from '@grpc/grpc-js';
import type { InstanceRecord } from '@/lib/domain/records';
import { MultipassError } from './errors.mts';
import { launchErrorMessage, STATUS_DETAILS } from './proto.mts';
import type { LaunchStep } from '../wire.ts';

// The daemon's replies and errors in labgate's words: what its CLI prints, and what fixes it.

export const TIMEOUT_MS = 10_000; // a call that is not a change (info, version, find)

/** The daemon's InstanceStatus.Status names, in the words its CLI prints (format_utils.cpp). */
export const STATUS_WORDS: Record<string, string> = {
  UNKNOWN: 'Unknown',
  RUNNING: 'Running',
  STARTING: 'Starting',
  RESTARTING: 'Restarting',
  STOPPED: 'Stopped',
  DELETED: 'Deleted',
  DELAYED_SHUTDOWN: 'Delayed Shutdown',
  SUSPENDING: 'Suspending',
  SUSPENDED: 'Suspended',
  UNAVAILABLE: 'Unavailable',
};

export interface LaunchReply {
  vm_instance_name?: string;
  create_message?: string;
  launch_progress?: { type: string; percent_complete: string } | null;
}

/** A launch's progress as the pages show it: what it does, and how far when the daemon says (0-100). */
const PHASES: Record<string, { phase: LaunchStep['phase']; text: string }> = {
  IMAGE: { phase: 'download', text: 'Downloading the image' },
  EXTRACT: { phase: 'extract', text: 'Extracting the image' },
  VERIFY: { phase: 'verify', text: 'Verifying the image' },
  WAITING: { phase: 'waiting', text: 'Waiting for the instance to be ready' },
};

/** One LaunchReply in the pages' words; null for replies that tell nothing of progress. */
export function launchStep(reply: LaunchReply): LaunchStep | null {
  if (reply.launch_progress) {
    const known = PHASES[reply.launch_progress.type] ?? { phase: 'message' as const, text: 'Working' };
    const n = Number(reply.launch_progress.percent_complete);
    return { ...known, percent: Number.isInteger(n) && n >= 0 && n <= 100 ? n : null };
  }
  if (reply.create_message) return { phase: 'message', text: reply.create_message.slice(0, 200), percent: null };
  return null;
}

interface Zone {
  name: string;
  available: boolean;
}

/** A DetailedInfoItem as the proto loader decodes it (defaults filled in, enums as names). */
export interface InfoItem {
  name: string;
  instance_status: { status: string } | null;
  memory_total: string;
  disk_total: string;
  cpu_count: string;
  mount_info: { mount_paths: { source_path: string; target_path: string }[] } | null;
  instance_info?: {
    image_release: string;
    current_release: string;
    load: string;
    memory_usage: string;
    disk_usage: string;
    ipv4: string[];
  } | null;
  zone: Zone | null;
}

/** A failed call, in words fit for a banner, each with what fixes it. */
export function describeRpcError(err: grpc.ServiceError, socket: string, timeoutMs = TIMEOUT_MS): MultipassError {
  const details = err.details ?? err.message;
  switch (err.code) {
    case grpc.status.UNAVAILABLE:
      if (/EACCES|permission denied/i.test(details))
        return new MultipassError(
          'access-denied',
          `labgate may not open the Multipass socket ${socket} (permission denied): a daemon that has accepted no client yet opens it only to its admin group. Accept labgate once: set a passphrase with \`multipass set local.passphrase\`, then run \`labgate multipass-auth\` with it on stdin.`,
        );
      return new MultipassError('daemon-down', `The Multipass daemon is not running (nothing answers on ${socket}).`);
    case grpc.status.UNAUTHENTICATED:
      return new MultipassError(
        'not-authenticated',
        "The Multipass daemon has not accepted labgate's client certificate: set a passphrase with `multipass set local.passphrase`, then run `labgate multipass-auth` with it on stdin.",
      );
    case grpc.status.INVALID_ARGUMENT:
      return new MultipassError('wrong-passphrase', `Multipass refused the passphrase: ${details}`);
    case grpc.status.FAILED_PRECONDITION:
      return new MultipassError('no-passphrase', `Multipass has no passphrase to check against: ${details}`);
    case grpc.status.DEADLINE_EXCEEDED:
      return new MultipassError('timeout', `Multipass did not answer within ${timeoutMs / 1000} s.`);

    default:
      return new MultipassError('failed', `Multipass failed (${grpc.status[err.code] ?? err.code}): ${details || 'no message'}`);
  }
}

/** The LaunchError codes a refused launch carries in its status details, by name; none if it carries none. */
export function launchErrorsOf(e: grpc.ServiceError): string[] {
  const raw = e.metadata?.get(STATUS_DETAILS)[0];
  if (!Buffer.isBuffer(raw) || raw.length === 0) return [];
  try {
    const message = launchErrorMessage();
    return (message.toObject(message.decode(raw), { enums: String }) as { error_codes?: string[] }).error_codes ?? [];
  } catch {
    return []; // details of another kind: the message alone says it
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;
const num = (s: string | undefined) => (s === undefined || s === '' || !Number.isFinite(Number(s)) ? null : Number(s));

/** The daemon's `info` reply → records, sorted by name; a reply that does not fit is refused whole. */
export function toInstanceRecords(items: readonly InfoItem[]): InstanceRecord[] {
  return items
    .map((item): InstanceRecord => {
      if (!NAME.test(item.name))
        throw new MultipassError('malformed', `Multipass reported an instance named ${JSON.stringify(item.name.slice(0, 80))}.`);
      const details = item.instance_info ?? null;
      const used = num(details?.memory_usage);
      const total = num(item.memory_total);
      const diskUsed = num(details?.disk_usage);
      const diskTotal = num(item.disk_total);
      return {
        name: item.name,
        state: STATUS_WORDS[item.instance_status?.status ?? 'UNKNOWN'] ?? 'Unknown',
        ipv4: (details?.ipv4 ?? []).filter((a) => a !== '' && a !== 'N/A'),
        release: details?.current_release || null,
        imageRelease: details?.image_release || null,
        cpuCount: num(item.cpu_count),
        memory: used !== null && total !== null ? { used, total } : null,
        disk: diskUsed !== null && diskTotal !== null ? { used: diskUsed, total: diskTotal } : null,
        load: (details?.load ?? '')
          .split(/\s+/)
          .filter(Boolean)
          .map(Number)
          .filter((n) => Number.isFinite(n)),
        zone: item.zone?.name || null,
        mounts: (item.mount_info?.mount_paths ?? []).map((m) => m.target_path).sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
