// A real Debian 12 host for the install test: a root file system made by mmdebstrap from
// Debian's packages (cached outside the repository, like the lab's binaries), booted with its
// own systemd as PID 1 by systemd-nspawn inside the lab's host namespace, so that install.sh,
// the units, a reboot and an uninstall run as on a real machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { run } from './exec.mts';
import { cacheDir, REPO } from './paths.mts';
import { eventually } from './testing.mts';

export const SYSTEM_PACKAGES = ['mmdebstrap', 'systemd-container'];
// What a minimal Debian 12 server has, plus what labgate's units and their checks use, and what
// docs/install.md has a user install for names on the LAN and HTTPS.
const BASE = ['systemd', 'systemd-sysv', 'dbus', 'iptables', 'iproute2', 'curl', 'ca-certificates', 'openssl', 'procps', 'passwd'];
const INCLUDE = [...BASE, 'avahi-daemon', 'avahi-utils', 'caddy'];
const MIRROR = 'http://deb.debian.org/debian';

/** install.sh's pinned Node: the image carries it, as a host that ran `install.sh node` once would. */
function pinnedNode(): string {
  const script = fs.readFileSync(path.join(REPO, 'scripts', 'install.sh'), 'utf8');
  return `${/^NODE_VERSION=(\S+)/m.exec(script)?.[1]} ${/^NODE_INTEGRITY='([^']+)'/m.exec(script)?.[1]}`;
}

/** Where the cached root is (made or not): its name changes with what goes into it. */
export function systemRootPath(): string {
  const key = createHash('sha256')
    .update(`bookworm ${INCLUDE.join(',')} ${pinnedNode()}`)
    .digest('hex')
    .slice(0, 16);
  return path.join(cacheDir(), `debian12-root-${key}`);
}

/**
 * The cached root file system (made once: about 40 s and 390 MB), with install.sh's pinned Node
 * in /usr/local/lib/labgate, since the lab host has no route to the npm registry. Run outside
 * the lab's namespaces: mmdebstrap and npm fetch from Debian's and npm's registries.
 */
export function ensureSystemRoot(log: (m: string) => void = () => {}): string {
  const root = systemRootPath();
  if (fs.existsSync(path.join(root, 'etc', 'os-release'))) return root;
  const tmp = `${root}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(root), { recursive: true });
  log(`making a Debian 12 root file system with mmdebstrap (${INCLUDE.length} packages)`);
  const made = spawnSync('mmdebstrap', ['--variant=apt', `--include=${INCLUDE.join(',')}`, 'bookworm', tmp, MIRROR], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`mmdebstrap failed (exit ${made.status}): ${made.stderr.slice(-2000)}`);
  const node = spawnSync(path.join(REPO, 'scripts', 'install.sh'), ['node', path.join(tmp, 'usr', 'local', 'lib', 'labgate')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (node.status !== 0) throw new Error(`install.sh node failed: ${node.stderr}`);
  fs.renameSync(tmp, root);
  return root;
}

/** A host path shown read-only inside the container. */
export interface Bind {
  from: string;
  to: string;
}

/** One booted Debian 12 container in a lab namespace, its file system a copy of the cached root that lives across boots. */
export class SystemContainer {
  readonly dir: string;
  private readonly netns: string;
  private nspawn: ChildProcess | null = null;
  private console = '';
  private leader = 0;

  constructor(dir: string, netns: string) {
    this.dir = dir;
    this.netns = netns;
  }

  /** A fresh copy of the cached root. */
  static async fromRoot(cached: string, dir: string, netns: string): Promise<SystemContainer> {
    const copy = await run('cp', ['-a', cached, dir]);
    if (copy.code !== 0) throw new Error(`cannot copy the root file system: ${copy.stderr}`);
    return new SystemContainer(dir, netns);
  }

  /** Boots its systemd as PID 1 and waits until the system is up (running, or degraded by some unit). */
  async boot(binds: Bind[] = []): Promise<void> {
    await this.start(binds);
    try {
      await eventually(
        'the container to finish booting',
        async () => /^(running|degraded)$/m.test((await this.exec('systemctl', ['is-system-running'])).stdout),
        60_000,
      );
    } catch (e) {
      const state = await this.exec('sh', [
        '-c',
        'systemctl is-system-running; systemctl list-jobs --no-pager; systemctl --failed --no-pager',
      ]);
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n${state.stdout}${state.stderr}\n${this.console.slice(-3000)}`);
    }
  }

  /** Starts the boot: resolves once its systemd runs, while the boot itself goes on. */
  async start(binds: Bind[] = []): Promise<void> {
    this.console = '';
    // `ip netns exec` gave the lab's processes a mount namespace of their own whose /sys has no
    // cgroup file system, which systemd-nspawn needs: it is mounted there (and only there).
    const child = spawn(
      'sh',
      [
        '-c',
        '[ -e /sys/fs/cgroup/cgroup.controllers ] || mount -t cgroup2 cgroup2 /sys/fs/cgroup; exec systemd-nspawn "$@"',
        'sh',
        '-q',
        '-D',
        this.dir,
        '-b',
        '--register=no',
        '--keep-unit',
        `--network-namespace-path=/run/netns/${this.netns}`,
        '--capability=CAP_NET_ADMIN', // a host's root has it; systemd-nspawn withholds it from a shared network namespace
        ...binds.map((b) => `--bind-ro=${b.from}:${b.to}`),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.nspawn = child;
    child.stdout!.on('data', (d: Buffer) => (this.console += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.console += d.toString()));
    this.leader = await eventually(
      'the container to start its systemd',
      async () => {
        if (child.exitCode !== null) throw new Error(`systemd-nspawn exited (${child.exitCode}): ${this.console.slice(-2000)}`);
        // systemd-nspawn's first child sets the container up and goes; the one that stays is its systemd.
        const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
        const comm = (pid: string) => {
          try {
            return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
          } catch {
            return null; // gone meanwhile
          }
        };
        const init = children.find((pid) => comm(pid) === 'systemd');
        return init ? Number(init) : undefined;
      },
      30_000,
    );
  }

  /** A command inside the container (its namespaces and root), as root. */
  exec(cmd: string, args: string[], input?: string) {
    return run(
      'nsenter',
      [
        '-t',
        String(this.leader),
        '-a',
        '-r',
        '-w',
        '/usr/bin/env',
        '-i',
        'HOME=/root',
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        cmd,
        ...args,
      ],
      input === undefined ? {} : { input },
    );
  }

  /** A command that must succeed; its output. */
  async must(cmd: string, args: string[], input?: string): Promise<string> {
    const res = await this.exec(cmd, args, input);
    if (res.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (exit ${res.code}): ${res.stdout}${res.stderr}`);
    return res.stdout;
  }

  /** Where a file inside the running container is, seen from outside (its sockets included). */
  path(inside: string): string {
    return path.join(`/proc/${this.leader}/root`, inside);
  }

  /** A clean poweroff, as `systemctl poweroff` (SIGRTMIN+4 to its systemd); waits for systemd-nspawn to end. */
  async poweroff(): Promise<void> {
    const child = this.nspawn;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    await run('kill', ['-s', 'RTMIN+4', String(this.leader)]);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    this.nspawn = null;
  }

  output(): string {
    return this.console;
  }

  async remove(): Promise<void> {
    await this.poweroff();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
