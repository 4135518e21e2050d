import 'server-only';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { Database } from 'better-sqlite3';

/** Who owns this host's firewall: the copy of labgate that holds the lock. */
export const OwnerIdentity = z.object({
  pid: z.number().int().positive(),
  dataDir: z.string().min(1).max(4096),
  installId: z.string().regex(/^[a-f0-9]{12}$/),
  since: z.string().max(40),
});
export type OwnerIdentity = z.infer<typeof OwnerIdentity>;

export const LOCK_FILE = 'host.lock';
// Abstract unix sockets live in the network namespace — the scope of the firewall itself — and go
// with their process: a copy in another mount namespace or container on the same host sees it.
const OWNER_SOCKET = '\0labgate-host-owner';
const INSTALL_ID_KEY = 'install_id';

/** This install's id (made once, kept in the store): the mark in labgate's canary rules. */
export function installId(db: Database): string {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(INSTALL_ID_KEY) as { value: string } | undefined;
  if (row && /^[a-f0-9]{12}$/.test(row.value)) return row.value;
  const id = randomBytes(6).toString('hex');
  db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(INSTALL_ID_KEY, id, Date.now());
  return id;
}

/** Another copy of labgate owns this host: its message names it and says how to stop it. */
export class HostOwned extends Error {
  readonly owner: OwnerIdentity | null;
  constructor(owner: OwnerIdentity | null, where: string) {
    super(
      owner
        ? `another labgate already owns this host's firewall: pid ${owner.pid}, data dir ${owner.dataDir}, since ${owner.since} (install ${owner.installId}, ${where}). ` +
            `Only one copy may run on a host: stop it first (systemctl stop labgate-host labgate, or kill ${owner.pid}), or use that one.`
        : `another labgate already owns this host's firewall (${where}), and did not say who it is. Only one copy may run on a host: stop it first.`,
    );
    this.name = 'HostOwned';
    this.owner = owner;
  }
}

const parseIdentity = (text: string): OwnerIdentity | null => {
  try {
    const parsed = OwnerIdentity.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

/** What the owner answers on its socket, or null when no copy holds it (or it does not answer within a second). */
export function askOwner(): Promise<OwnerIdentity | null> {
  return new Promise((resolve) => {
    let text = '';
    const sock = net.connect({ path: OWNER_SOCKET });
    const done = (who: OwnerIdentity | null) => (sock.destroy(), resolve(who));
    sock.setTimeout(1_000, () => done(null));
    sock.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.length > 8192) done(null);
    });
    sock.on('end', () => done(parseIdentity(text)));
    sock.on('error', () => done(null));
  });
}

/**
 * The host's one owner: taken before the firewall is touched, held until the process ends (the
 * kernel releases both holds when it dies, so a kill -9 never leaves a stale lock).
 * - a lock file in the runtime directory, held with flock(2) and naming its holder;
 * - the owner's socket in the network namespace, which answers who holds it.
 */
export class HostOwnership {
  readonly identity: OwnerIdentity;
  private readonly fd: number | null;
  private readonly server: net.Server;

  private constructor(identity: OwnerIdentity, fd: number | null, server: net.Server) {
    this.identity = identity;
    this.fd = fd;
    this.server = server;
  }

  static async take(opts: { runtimeDir: string; dataDir: string; installId: string }): Promise<HostOwnership> {
    const identity: OwnerIdentity = {
      pid: process.pid,
      dataDir: path.resolve(opts.dataDir),
      installId: opts.installId,
      since: new Date().toISOString(),
    };
    const file = path.join(opts.runtimeDir, LOCK_FILE);
    let fd: number;
    try {
      fs.mkdirSync(opts.runtimeDir, { recursive: true, mode: 0o755 });
      fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    } catch (e) {
      // A runtime directory this user may not write (npm start as another user than the units'):
      // the socket alone still holds the host, in this network namespace.
      console.error(
        `labgate: the lock file ${file} cannot be opened (${(e as NodeJS.ErrnoException).code}); the host is held by the owner's socket alone.`,
      );
      return new HostOwnership(identity, null, await listenOrRefuse(identity));
    }
    try {
      // flock(1) locks the open file description it is handed as fd 3, which this process shares:
      // the lock is ours once it exits, and the kernel's to release when our last descriptor closes.
      const locked = spawnSync('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', '75', '3'], {
        stdio: ['ignore', 'ignore', 'pipe', fd],
      });
      if (locked.status === 75) throw new HostOwned(parseIdentity(fs.readFileSync(file, 'utf8')), `lock ${file}`);
      if (locked.status !== 0)
        throw new Error(`labgate could not lock ${file}: ${locked.error?.message ?? locked.stderr.toString().trim()}`);
      const server = await listenOrRefuse(identity);
      fs.ftruncateSync(fd, 0);
      fs.writeSync(fd, `${JSON.stringify(identity)}\n`, 0);
      return new HostOwnership(identity, fd, server);
    } catch (e) {
      fs.closeSync(fd);
      throw e;
    }
  }

  /** Gives the host up (tests; a process that ends gives it up by itself). */
  release(): void {
    this.server.close();
    if (this.fd !== null) fs.closeSync(this.fd);
  }
}

/** The owner's socket, or the refusal that names whoever holds it already. */
function listenOrRefuse(identity: OwnerIdentity): Promise<net.Server> {
  const server = net.createServer((sock) => sock.end(`${JSON.stringify(identity)}\n`));
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EADDRINUSE') return reject(e);
      void askOwner().then((owner) => reject(new HostOwned(owner, 'in another mount namespace or container on this host')));
    });
    server.listen({ path: OWNER_SOCKET }, () => {
      server.unref(); // it never keeps the process alive by itself
      resolve(server);
    });
  });
}
