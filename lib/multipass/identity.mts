import fs from 'node:fs';
import path from 'node:path';
import { selfSignedIdentity } from '../tls/certificates.mts';
import type { Identity } from './rpc.mts';

/** The files of labgate's own Multipass client identity, in the host role's data dir. */
export const identityFiles = (dataDir: string) => {
  const dir = path.join(dataDir, 'multipass');
  return { dir, cert: path.join(dir, 'client.crt'), key: path.join(dir, 'client.key') };
};

/**
 * labgate's client certificate for the Multipass daemon, made once (EC P-256, as Multipass's own
 * clients make theirs) and kept: the daemon accepts a certificate, not a process, so the same
 * one must come back after every restart. Only its owner may read the key.
 */
export async function clientIdentity(dataDir: string): Promise<Identity> {
  const files = identityFiles(dataDir);
  if (fs.existsSync(files.cert) && fs.existsSync(files.key))
    return { cert: fs.readFileSync(files.cert, 'utf8'), key: fs.readFileSync(files.key, 'utf8') };
  const made = await selfSignedIdentity('labgate', 3650);
  // Made by root (`sudo labgate multipass-auth`), they belong to whoever owns the data dir: the host role.
  const owner = fs.statSync(dataDir);
  fs.mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  fs.chownSync(files.dir, owner.uid, owner.gid);
  for (const [file, text] of [
    [files.key, made.key],
    [files.cert, made.cert],
  ] as const) {
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    fs.chownSync(`${file}.tmp`, owner.uid, owner.gid);
    fs.renameSync(`${file}.tmp`, file); // whole or not at all; the key first, so a certificate always has its key
  }
  return made;
}
