import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { MultipassError } from './errors.mts';

// The daemon's gRPC API definition (multipass.Rpc), loaded once per process: by labgate's client
// and by the lab's stand-in daemon, which must speak exactly the same wire format.

/** labgate's subset of the daemon's proto: copied beside the build by scripts/build.mts, or in the checkout. */
export const PROTO_FILE = path.join('lib', 'multipass', 'multipass.proto');

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
