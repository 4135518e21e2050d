import * as grpc from '@grpc/grpc-js';
import { MultipassError } from './errors.mts';
import { rpcService } from './proto.mts';
import {
  describeRpcError,
  launchErrorsOf,
  launchStep,
  TIMEOUT_MS,
  toInstanceRecords,
  type InfoItem,
  type LaunchReply,
} from './replies.mts';
import type { InstanceRecord } from '@/lib/domain/records';
import type { InstanceChange } from '@/lib/schemas/instances';
import type { ImageChoice, LaunchStep } from '../wire.ts';

/**
 * The Multipass daemon's gRPC API (multipass.Rpc) over its unix socket, as the Multipass GUI and
 * CLI use it: TLS, and a client certificate the daemon accepts once (the first client of a fresh
 * daemon, or one that authenticated with the daemon's passphrase). Only the host role uses it.
 */

const BOOT_TIMEOUT_MS = 330_000; // the daemon's own wait for a booting instance (5 min), and a little
const CHANGE_TIMEOUT_MS = 120_000; // a stop or a delete waits for the guest to shut down
const LAUNCH_TIMEOUT_MS = 20 * 60_000; // an image download on a slow line, then a boot

export type { ImageChoice, LaunchStep } from '../wire.ts';

// Changes the daemon will not make (no such instance, not running): said in its own words.
const REFUSALS = new Set([grpc.status.INVALID_ARGUMENT, grpc.status.NOT_FOUND, grpc.status.FAILED_PRECONDITION, grpc.status.ABORTED]);

export interface LaunchSpec {
  name: string;
  image: string;
  cpus: number;
  memory: string;
  disk: string;
  cloudInit: string;
}

export interface Identity {
  cert: string; // PEM
  key: string; // PEM
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
