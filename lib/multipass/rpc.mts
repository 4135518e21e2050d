import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import type { InstanceRecord } from '@/lib/domain/records';
import { MultipassError } from './errors.mts';
import type { InstanceChange } from '@/lib/schemas/instances';
import type { ImageChoice, LaunchStep } from '../wire.ts';

/**
 * The Multipass daemon's gRPC API (multipass.Rpc) over its unix socket, as the Multipass GUI and
 * CLI use it: TLS, and a client certificate the daemon accepts once (the first client of a fresh
 * daemon, or one that authenticated with the daemon's passphrase). Only the host role uses it.
 */

/** labgate's subset of the daemon's proto: copied beside the build by scripts/build.mts, or in the checkout. */
export const PROTO_FILE = path.join('lib', 'multipass', 'multipass.proto');

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

const TIMEOUT_MS = 10_000;
const BOOT_TIMEOUT_MS = 330_000; // the daemon's own wait for a booting instance (5 min), and a little
const CHANGE_TIMEOUT_MS = 120_000; // a stop or a delete waits for the guest to shut down
const LAUNCH_TIMEOUT_MS = 20 * 60_000; // an image download on a slow line, then a boot

export type { ImageChoice, LaunchStep } from '../wire.ts';

export interface LaunchSpec {
  name: string;
  image: string;
  cpus: number;
  memory: string;
  disk: string;
  cloudInit: string;
}

interface LaunchReply {
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

export interface Identity {
  cert: string; // PEM
  key: string; // PEM
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

let service: grpc.ServiceClientConstructor | null = null;

function beside(): string | undefined {
  try {
    return import.meta.dirname ? path.join(import.meta.dirname, 'multipass.proto') : undefined;
  } catch {
    return undefined; // bundled, where the module has no folder of its own
  }
}

// The server runs from its build's folder (a copy beside it), the command line and the lab from
// anywhere (the one beside this module).
function protoFile(): string {
  const file = [path.join(process.cwd(), PROTO_FILE), beside()].find((f): f is string => !!f && fs.existsSync(f));
  if (!file) throw new MultipassError('failed', `labgate's Multipass API definition (${PROTO_FILE}) is missing from this installation.`);
  return file;
}

/** The status details a refused launch carries: the daemon's LaunchError, as protobuf bytes. */
export const STATUS_DETAILS = 'grpc-status-details-bin';
let launchErrorType: protobuf.Type | null = null;
export function launchErrorMessage(): protobuf.Type {
  launchErrorType ??= new protobuf.Root().loadSync(protoFile(), { keepCase: true }).lookupType('multipass.LaunchError');
  return launchErrorType;
}

/** The Rpc service's client constructor, from labgate's proto (loaded once per process). */
export function rpcService(): grpc.ServiceClientConstructor {
  if (service) return service;
  const file = protoFile();
  const definition = protoLoader.loadSync(file, { keepCase: true, enums: String, longs: Number, defaults: true, oneofs: true });
  const multipass = (grpc.loadPackageDefinition(definition) as unknown as { multipass: { Rpc: grpc.ServiceClientConstructor } }).multipass;
  service = multipass.Rpc;
  return service;
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
function launchErrorsOf(e: grpc.ServiceError): string[] {
  const raw = e.metadata?.get(STATUS_DETAILS)[0];
  if (!Buffer.isBuffer(raw) || raw.length === 0) return [];
  try {
    const message = launchErrorMessage();
    return (message.toObject(message.decode(raw), { enums: String }) as { error_codes?: string[] }).error_codes ?? [];
  } catch {
    return []; // details of another kind: the message alone says it
  }
}

const REFUSALS = new Set([grpc.status.INVALID_ARGUMENT, grpc.status.NOT_FOUND, grpc.status.FAILED_PRECONDITION, grpc.status.ABORTED]);

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

/** A newer Multipass than the daemon's, as the daemon tells of it. */
export interface UpdateInfo {
  version: string;
  url: string;
}

/** One client of the daemon: its socket and labgate's identity. */
export class MultipassRpc {
  private readonly client: grpc.Client & Record<string, (...args: unknown[]) => unknown>;
  readonly socket: string;

  constructor(socket: string, identity: Identity) {
    this.socket = socket;
    // The daemon's certificate is its own, self-signed, and changes when it is reinstalled: what
    // vouches for it is the socket, a file only root could have put there (as for Multipass's CLI).
    const credentials = grpc.credentials.createSsl(null, Buffer.from(identity.key), Buffer.from(identity.cert), {
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    const Rpc = rpcService();
    // grpc-js backs off reconnecting up to 2 minutes: after a long outage the daemon would stay
    // unasked that long once back. A local socket is cheap to retry; the watcher asks every 2 s.
    this.client = new Rpc(`unix:${socket}`, credentials, {
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': 2_000,
    }) as MultipassRpc['client'];
  }

  /** One request on one of the daemon's streaming calls; every reply it sends (log lines, update info, the answer). */
  private exchange<Reply>(method: string, request: object, timeoutMs = TIMEOUT_MS, onReply?: (reply: Reply) => void): Promise<Reply[]> {
    return new Promise((resolve, reject) => {
      const call = this.client[method]!({ deadline: Date.now() + timeoutMs }) as grpc.ClientDuplexStream<object, Reply>;
      const replies: Reply[] = [];
      call.on('data', (reply: Reply) => {
        replies.push(reply);
        onReply?.(reply);
      });
      call.on('error', (e: grpc.ServiceError) =>
        reject(
          // A change the daemon will not make (no such instance, not running): its own words.
          method !== 'authenticate' && REFUSALS.has(e.code)
            ? new MultipassError('refused', `Multipass refused: ${e.details || e.message}.`, launchErrorsOf(e))
            : describeRpcError(e, this.socket, timeoutMs),
        ),
      );
      call.on('status', (s: grpc.StatusObject) => {
        if (s.code === grpc.status.OK) resolve(replies);
      });
      call.write(request);
      call.end();
    });
  }

  async info(): Promise<InstanceRecord[]> {
    const replies = await this.exchange<{ details: InfoItem[] }>('info', { instance_snapshot_pairs: [], no_runtime_information: false });
    return toInstanceRecords(replies.flatMap((r) => r.details ?? []));
  }

  /** The daemon's version, and the newer Multipass it tells of when one is out. */
  async version(): Promise<{ version: string; update: UpdateInfo | null }> {
    const replies = await this.exchange<{ version: string; update_info?: UpdateInfo | null }>('version', {});
    const update = replies.map((r) => r.update_info).find((u) => u?.version) ?? null;
    return { version: replies.map((r) => r.version).find(Boolean) ?? '', update: update && { version: update.version, url: update.url } };
  }

  /**
   * Changes an instance's life as the CLI's start, stop, suspend, restart, delete and purge do. A
   * start or restart answers once the instance is up, which takes a minute or more on a real host:
   * the daemon's own wait (5 minutes) is allowed.
   */
  async lifecycle(name: string, change: InstanceChange): Promise<void> {
    const instance_names = { instance_name: [name] };
    switch (change.action) {
      case 'start':
      case 'restart':
        await this.exchange(change.action, { instance_names }, BOOT_TIMEOUT_MS);
        return;
      case 'suspend':
        await this.exchange('suspend', { instance_names }, CHANGE_TIMEOUT_MS);
        return;
      case 'stop':
        await this.exchange('stop', { instance_names, time_minutes: change.delayMinutes }, CHANGE_TIMEOUT_MS);
        return;
      case 'cancel-stop':
        await this.exchange('stop', { instance_names, cancel_shutdown: true }, CHANGE_TIMEOUT_MS);
        return;
      case 'delete':
        await this.exchange('delet', { instance_snapshot_pairs: [{ instance_name: name }], purge: change.purge }, CHANGE_TIMEOUT_MS);
        return;
    }
  }

  /** The images the daemon can launch (`multipass find`). */
  async find(): Promise<ImageChoice[]> {
    const replies = await this.exchange<{ images_info: ImageChoice[] }>('find', { search_string: '', remote_name: '' });
    return replies
      .flatMap((r) => r.images_info ?? [])
      .map(({ os, release, version, aliases, codename }) => ({ os, release, version, aliases, codename }));
  }

  /**
   * Launches an instance, telling each step as the daemon streams it (an image download's percent,
   * "Starting worker1", …); answers with its name once it runs. A download takes minutes on a
   * real host: the daemon's own wait is allowed.
   */
  async launch(request: LaunchSpec, onStep: (step: LaunchStep) => void): Promise<string> {
    let name = '';
    await this.exchange<LaunchReply>(
      'launch',
      {
        instance_name: request.name,
        image: request.image,
        num_cores: request.cpus,
        mem_size: request.memory,
        disk_space: request.disk,
        cloud_init_user_data: request.cloudInit,
        timeout: 300,
      },
      LAUNCH_TIMEOUT_MS,
      (reply) => {
        if (reply.vm_instance_name) name = reply.vm_instance_name;
        const step = launchStep(reply);
        if (step) onStep(step);
      },
    );
    return name || request.name;
  }

  async authenticate(passphrase: string): Promise<void> {
    await this.exchange('authenticate', { passphrase });
  }

  close(): void {
    this.client.close();
  }
}
