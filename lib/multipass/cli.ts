import 'server-only';
import { execFile } from 'node:child_process';
import type { InstanceRecord } from '@/lib/domain/records';
import { toInstanceRecords } from './parse';
import { InfoOutput } from './schema';

export type MultipassErrorKind =
  | 'cli-missing'
  | 'daemon-down'
  | 'access-denied'
  | 'not-authenticated'
  | 'wrong-passphrase'
  | 'no-passphrase'
  | 'unknown-instance'
  | 'timeout'
  | 'malformed'
  | 'failed';

/** A failure of the multipass CLI, with a message fit for a banner. */
export class MultipassError extends Error {
  readonly kind: MultipassErrorKind;
  constructor(kind: MultipassErrorKind, message: string) {
    super(message);
    this.name = 'MultipassError';
    this.kind = kind;
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  errno?: string;
  timedOut: boolean;
}

export type CliRunner = (args: readonly string[]) => Promise<CliResult>;

const TIMEOUT_MS = 10_000;

/** Runs the real CLI: a fixed binary (the first `multipass` on PATH), an argument array, no shell. */
export const execMultipass: CliRunner = (args) =>
  new Promise((resolve) => {
    execFile('multipass', [...args], { timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number; killed?: boolean; signal?: string }) | null;
      resolve({
        code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
        stdout,
        stderr,
        errno: typeof e?.code === 'string' ? e.code : undefined,
        timedOut: !!e && (e.killed === true || e.signal === 'SIGTERM'),
      });
    });
  });

/** Turns a failed run into a typed error, from the real CLI's messages (client_common.cpp, daemon.cpp). */
export function classifyFailure(res: CliResult): MultipassError {
  if (res.errno === 'ENOENT')
    return new MultipassError('cli-missing', 'The multipass command is not installed on this host (or not on PATH).');
  if (res.timedOut) return new MultipassError('timeout', `multipass did not answer within ${TIMEOUT_MS / 1000} s.`);
  const message = res.stderr.trim().split('\n')[0] ?? '';
  if (/cannot connect to the multipass socket/.test(message))
    return new MultipassError('daemon-down', 'The Multipass daemon is not running (cannot connect to the multipass socket).');
  if (/socket access denied/.test(message))
    return new MultipassError(
      'access-denied',
      "labgate may not use the Multipass socket (access denied): add its user to the socket's group.",
    );
  if (/does not exist/.test(message)) return new MultipassError('unknown-instance', message.replace(/^\w+ failed: /, ''));
  return new MultipassError('failed', `multipass failed${res.code !== null ? ` (exit ${res.code})` : ''}: ${message || 'no message'}`);
}

/** All instances, from `multipass info --format json`, as sorted records. */
export async function listInstances(run: CliRunner = execMultipass): Promise<InstanceRecord[]> {
  const res = await run(['info', '--format', 'json']);
  if (res.code !== 0) throw classifyFailure(res);
  let json: unknown;
  try {
    json = JSON.parse(res.stdout);
  } catch {
    throw new MultipassError('malformed', 'multipass printed something that is not JSON.');
  }
  const parsed = InfoOutput.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MultipassError(
      'malformed',
      `multipass printed JSON of an unexpected shape (${issue?.path.join('.') || 'top'}: ${issue?.message}).`,
    );
  }
  return toInstanceRecords(parsed.data);
}
