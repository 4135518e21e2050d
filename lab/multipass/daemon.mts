// The lab's Multipass daemon stand-in over gRPC: multipass.Rpc on a unix socket, with TLS and the
// real daemon's client authentication (canonical/multipass src/daemon/daemon_rpc.cpp): it asks
// for a client certificate without verifying it; on a fresh daemon the first client is accepted
// and the socket, until then its admin group's only (0660), opens to everyone (0666); any other
// certificate must authenticate with the passphrase; the refusals are the daemon's own status
// codes and messages. Answers come from the lab's Multipass state; telemetry moves on every call.
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { TLSSocket } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { launchErrorMessage, rpcService, STATUS_DETAILS } from '../../lib/multipass/proto.mts';
import { STATUS_WORDS } from '../../lib/multipass/replies.mts';
import { selfSignedIdentity } from '../../lib/tls/certificates.mts';
import { IMAGE, storedCertificates, VERSIONS, type StandInInstance, type StandInState } from './model.mts';
import { RUNNING_STATES, withTelemetry } from './render.mts';
import type { Lifecycle } from './lifecycle.mts';
import { IMAGES } from './launch.mts';

/** The daemon's messages, word for word. */
export const DAEMON_MESSAGES = {
  notAuthenticated:
    "The user is not authenticated with the Multipass service.\n\nPlease authenticate before proceeding (e.g. via 'multipass authenticate'). Note that you first need an authenticated user to set and provide you with a trusted passphrase (e.g. via 'multipass set local.passphrase').",
  noPassphrase: 'Passphrase is not set. Please `multipass set local.passphrase` with a trusted client.',
  wrongPassphrase: 'Passphrase is not correct. Please try again.',
};

// The client's table, read the other way: the words the lab's state holds → the daemon's enum names.
const STATUS: Record<string, string> = Object.fromEntries(Object.entries(STATUS_WORDS).map(([name, words]) => [words, name]));

export interface StandInDaemonOptions {
  socket: string;
  state: () => StandInState; // read at every call, as the daemon knows its VMs
  passphrase?: string | null; // `multipass set local.passphrase`; null: not set
  certStore?: string; // a file of accepted client certificates (PEM, one after another): read at start, kept across restarts
  adminGroup?: number; // the socket's group while no client is accepted (sudo, admin or wheel on a real host)
  logLines?: string[]; // log lines the daemon streams to a call before its answer (ClientLogger), each a reply of its own
  update?: { version: string; url: string; title: string; description: string }; // a newer Multipass, told on list, info and version
  lifecycle?: Lifecycle; // start, stop, suspend, restart, delete and purge; without it the daemon refuses them
}

export interface StandInDaemon {
  socket: string;
  accepted: () => string[];
  stop: () => Promise<void>;
}

/**
 * The TLS socket under a call. grpc-js's getAuthContext() shows only a peer certificate that
 * verified; the daemon reads the one it was sent, unverified, and checks it against its store.
 */
function peerSocket(call: object): TLSSocket | null {
  let at = (call as { call?: object }).call as { nextCall?: object; stream?: { session?: { socket?: unknown } } } | undefined;
  while (at && !at.stream && at.nextCall) at = at.nextCall as typeof at;
  const socket = at?.stream?.session?.socket;
  return socket instanceof TLSSocket ? socket : null;
}

/** A refusal as the daemon sends it: its status code and message. */
const refuse = (code: grpc.status, message: string) => Object.assign(new Error(message), { code, details: message });
const pemOf = (raw: Buffer) => new X509Certificate(raw).toString();
// Every call compares its client against the whole store: each certificate is parsed once.
const prints = new Map<string, string>();
const fingerprint = (pem: string) => {
  if (!prints.has(pem)) prints.set(pem, new X509Certificate(pem).fingerprint256);
  return prints.get(pem)!;
};
const sameCert = (a: string, b: string) => fingerprint(a) === fingerprint(b);

function infoItem(i: StandInInstance, tick: number) {
  const vm = withTelemetry(i, tick);
  const up = RUNNING_STATES.has(vm.state);
  return {
    name: vm.name,
    instance_status: { status: STATUS[vm.state] ?? 'UNKNOWN' },
    memory_total: up && vm.memory ? String(vm.memory.total) : '',
    disk_total: up && vm.disk ? vm.disk.total : '',
    cpu_count: up ? vm.cpuCount : '',
    mount_info: { mount_paths: Object.entries(vm.mounts).map(([target, m]) => ({ source_path: m.sourcePath, target_path: target })) },
    instance_info: {
      image_release: IMAGE.release,
      current_release: up ? IMAGE.guestRelease : '',
      load: up ? vm.load.map((l) => l.toFixed(2)).join(' ') : '',
      memory_usage: up && vm.memory ? String(vm.memory.used) : '',
      disk_usage: up && vm.disk ? vm.disk.used : '',
      ipv4: up ? vm.ipv4 : [],
    },
    zone: { name: vm.zone, available: true },
  };
}

type Streaming = (
  answer: (request: Record<string, unknown>, call: grpc.ServerDuplexStream<unknown, unknown>) => Promise<object[]>,
) => (call: grpc.ServerDuplexStream<unknown, unknown>) => void;

/** The lifecycle calls, as the daemon's proto names them; their requests read as the daemon reads them. */
function lifecycleCalls(lifecycle: Lifecycle | undefined, streaming: Streaming) {
  const names = (r: Record<string, unknown>) => (r.instance_names as { instance_name?: string[] } | null)?.instance_name ?? [];
  const run = async (call: Parameters<Lifecycle['run']>[0]) => {
    if (!lifecycle) throw refuse(grpc.status.FAILED_PRECONDITION, 'this daemon cannot change instances');
    try {
      return await lifecycle.run(call);
    } catch (e) {
      const err = e as { code?: number; message: string };
      throw refuse(err.code ?? grpc.status.INTERNAL, err.message);
    }
  };
  return {
    start: streaming(async (r) => (await run({ op: 'start', names: names(r) }), [])),
    stop: streaming(
      async (r) => (
        await run({
          op: 'stop',
          names: names(r),
          minutes: Number(r.time_minutes ?? 0),
          cancel: !!r.cancel_shutdown,
          force: !!r.force_stop,
        }),
        []
      ),
    ),
    suspend: streaming(async (r) => (await run({ op: 'suspend', names: names(r) }), [])),
    restart: streaming(async (r) => (await run({ op: 'restart', names: names(r) }), [])),
    delet: streaming(async (r) => {
      const pairs = (r.instance_snapshot_pairs as { instance_name: string }[] | undefined) ?? [];
      const { purged } = await run({ op: 'delete', names: pairs.map((p) => p.instance_name), purge: !!r.purge });
      return [{ purged_instances: purged }];
    }),
    purge: streaming(async () => [{ purged_instances: (await run({ op: 'purge' })).purged }]),
    find: streaming(async () => [{ images_info: IMAGES.map((i) => ({ ...i, remote_name: 'release' })) }]),
    // Each step written as it happens: the client shows the download and the boot as they go.
    launch: streaming(async (r, call) => {
      if (!lifecycle) throw refuse(grpc.status.FAILED_PRECONDITION, 'this daemon cannot launch instances');
      await lifecycle.launch(
        {
          name: String(r.instance_name ?? ''),
          image: String(r.image ?? ''),
          cpus: Number(r.num_cores ?? 0),
          memory: String(r.mem_size ?? ''),
          disk: String(r.disk_space ?? ''),
          userData: String(r.cloud_init_user_data ?? ''),
        },
        (step) => call.write(step),
      );
      return [];
    }),
  };
}

export async function startStandInDaemon(opts: StandInDaemonOptions): Promise<StandInDaemon> {
  const identity = await selfSignedIdentity('localhost', 3650);
  const store = opts.certStore;
  // As the daemon's client certificate store: read once, at start; every accepted client written
  // back whole (a save file, then a rename), so revoking one means editing the file and restarting.
  const accepted: string[] = store ? storedCertificates(store) : [];
  // Open to the admin group only until a first client is accepted (set_server_socket_restrictions).
  const restrict = (restricted: boolean) => {
    if (restricted && opts.adminGroup !== undefined) fs.chownSync(opts.socket, 0, opts.adminGroup);
    fs.chmodSync(opts.socket, restricted ? 0o660 : 0o666);
  };
  const accept = (cert: string) => {
    if (!accepted.some((c) => sameCert(c, cert))) {
      accepted.push(cert.endsWith('\n') ? cert : `${cert}\n`);
      if (store) {
        fs.writeFileSync(`${store}.new`, accepted.join(''), { mode: 0o600 });
        fs.renameSync(`${store}.new`, store);
      }
    }
    restrict(false);
  };
  const clientCert = (call: grpc.ServerDuplexStream<unknown, unknown> | grpc.ServerUnaryCall<unknown, unknown>) => {
    const raw = peerSocket(call)?.getPeerCertificate()?.raw;
    return raw && raw.length ? pemOf(raw) : '';
  };
  const verified = (cert: string) => cert !== '' && accepted.some((c) => sameCert(c, cert));

  /** A streaming call as the daemon serves it: read the one request, check the client, answer. */
  const streaming =
    (
      answer: (request: Record<string, unknown>, call: grpc.ServerDuplexStream<unknown, unknown>) => Promise<object[]>,
      open = false,
      tells = !open,
    ) =>
    (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.once('data', (request: Record<string, unknown>) => {
        void (async () => {
          const cert = clientCert(call);
          if (!open) {
            if (accepted.length === 0) accept(cert);
            else if (!verified(cert)) return void call.emit('error', refuse(grpc.status.UNAUTHENTICATED, DAEMON_MESSAGES.notAuthenticated));
          }
          try {
            const replies = await answer(request, call);
            for (const line of opts.logLines ?? []) call.write({ log_line: line });
            for (const reply of replies) call.write(tells && opts.update ? { ...reply, update_info: opts.update } : reply);
            call.end();
          } catch (e) {
            const err = e as { code?: number; message: string; launchErrors?: number[] };
            const refusal = refuse(err.code ?? grpc.status.INTERNAL, err.message);
            if (err.launchErrors?.length) {
              // As the daemon sends a LaunchError: serialized into the status's details.
              const metadata = new grpc.Metadata();
              const message = launchErrorMessage();
              metadata.set(STATUS_DETAILS, Buffer.from(message.encode(message.create({ error_codes: err.launchErrors })).finish()));
              Object.assign(refusal, { metadata });
            }
            call.emit('error', refusal);
          }
        })();
      });
    };

  const slow = () => new Promise((r) => setTimeout(r, opts.state().answerDelayMs ?? 0));

  const server = new grpc.Server();
  server.addService(rpcService().service, {
    info: streaming(async () => {
      await slow();
      const tick = Math.floor(Date.now() / 1000);
      return [{ details: opts.state().instances.map((i) => infoItem(i, tick)) }];
    }),
    list: streaming(async () => {
      await slow();
      const instances = opts.state().instances.map((i) => ({
        name: i.name,
        instance_status: { status: STATUS[i.state] ?? 'UNKNOWN' },
        ipv4: RUNNING_STATES.has(i.state) ? i.ipv4 : [],
        current_release: RUNNING_STATES.has(i.state) ? IMAGE.guestRelease : '',
        zone: { name: i.zone, available: true },
      }));
      return [{ instance_list: { instances } }];
    }),
    version: streaming(async () => [{ version: VERSIONS[opts.state().format] }]),
    authenticate: streaming(async (request, call) => {
      if (!opts.passphrase) throw refuse(grpc.status.FAILED_PRECONDITION, DAEMON_MESSAGES.noPassphrase);
      if (request.passphrase !== opts.passphrase) throw refuse(grpc.status.INVALID_ARGUMENT, DAEMON_MESSAGES.wrongPassphrase);
      accept(clientCert(call));
      return [];
    }, true),
    ...lifecycleCalls(opts.lifecycle, streaming),
    ping: (call: grpc.ServerUnaryCall<unknown, unknown>, done: grpc.sendUnaryData<object>) =>
      verified(clientCert(call)) ? done(null, {}) : done(refuse(grpc.status.UNAUTHENTICATED, '')),
  });
  // Ask for a client certificate, verify nothing (GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_BUT_DONT_VERIFY).
  // A provider of fixed material; it answers after the server has started watching it.
  const fixed = {
    addCaCertificateListener: (l: (u: { caCertificate: Buffer }) => void) =>
      setImmediate(() => l({ caCertificate: Buffer.from(identity.cert) })),
    removeCaCertificateListener: () => {},
    addIdentityCertificateListener: (l: (u: { certificate: Buffer; privateKey: Buffer }) => void) =>
      setImmediate(() => l({ certificate: Buffer.from(identity.cert), privateKey: Buffer.from(identity.key) })),
    removeIdentityCertificateListener: () => {},
  };
  const credentials = grpc.experimental.createCertificateProviderServerCredentials(fixed, fixed, false);
  if (fs.existsSync(opts.socket)) fs.rmSync(opts.socket);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${opts.socket}`, credentials, (err) => (err ? reject(err) : resolve())),
  );
  restrict(accepted.length === 0);
  return {
    socket: opts.socket,
    accepted: () => [...accepted],
    stop: () =>
      new Promise((resolve) => {
        opts.lifecycle?.close();
        server.tryShutdown(() => resolve());
      }),
  };
}
