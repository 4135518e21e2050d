// The LAN's mDNS: a real avahi-daemon on the lab host's LAN interface (as Debian's and Ubuntu's
// hosts run it) and another on the laptop's, each on a D-Bus system bus of its own. A daemon's
// pid file and socket live in /run/avahi-daemon, fixed at build time: each runs in a mount
// namespace of its own with a private one, so labs never meet each other or the machine's.
import fs from 'node:fs';
import path from 'node:path';
import type { LabPaths } from './paths.mts';
import { startProcess, stopProcess, waitFor, type ProcessSpec } from './processes.mts';
import { LAN, namespaces } from './topology.mts';

export const MDNS_PROCESSES = ['dbus-host', 'avahi-host', 'dbus-lan', 'avahi-lan'];
const SIDES = { host: { iface: LAN.hostInterface, hostName: 'lab-host' }, lan: { iface: 'eth0', hostName: 'laptop' } } as const;
type Side = keyof typeof SIDES;

export const busSocket = (p: LabPaths, side: Side) => path.join(p.shared, 'mdns', `${side}-bus.sock`);
export const busAddress = (p: LabPaths, side: Side) => `unix:path=${busSocket(p, side)}`;

function busConfig(socket: string): string {
  // A system bus with Debian's default policy (no calls but to what a package's policy allows) and
  // avahi's own policy from its package: who may own the name, that anyone may publish.
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus"/>
  </policy>
  <includedir>/usr/share/dbus-1/system.d</includedir>
</busconfig>
`;
}

function avahiConfig(side: Side): string {
  return `[server]
host-name=${SIDES[side].hostName}
use-ipv4=yes
use-ipv6=no
allow-interfaces=${SIDES[side].iface}
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-hinfo=no
publish-workstation=no
`;
}

/**
 * The lab host's service users, as install.sh makes them on a real host (the two-role tests run
 * the roles under these ids). dbus-daemon looks every peer up by its uid and drops one it cannot
 * find, so its /etc/passwd and /etc/group have them (bind-mounted over the machine's, for it alone).
 */
const SERVICE_USERS = [
  { name: 'labgate', id: 64_100 },
  { name: 'labgate-ui', id: 64_101 },
  { name: 'labgate-caddy', id: 64_102 },
];

function withServiceUsers(dir: string): string {
  const passwd = path.join(dir, 'passwd');
  const group = path.join(dir, 'group');
  const users = SERVICE_USERS.map((u) => `${u.name}:x:${u.id}:${u.id}::/nonexistent:/usr/sbin/nologin`);
  const groups = SERVICE_USERS.map((u) => `${u.name}:x:${u.id}:`);
  fs.writeFileSync(passwd, `${fs.readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${users.join('\n')}\n`);
  fs.writeFileSync(group, `${fs.readFileSync('/etc/group', 'utf8').trimEnd()}\n${groups.join('\n')}\n`);
  return `mount --bind '${passwd}' /etc/passwd && mount --bind '${group}' /etc/group`;
}

/** A daemon in a mount namespace of its own: `mounts` are made there (and only there), then it runs. */
function inOwnMounts(name: string, ns: string, mounts: string, command: string): ProcessSpec {
  return { name, ns, cmd: 'unshare', args: ['--mount', '--propagation', 'private', 'sh', '-c', `${mounts} && exec ${command}`] };
}

export async function startMdns(prefix: string, p: LabPaths): Promise<void> {
  const dir = path.join(p.shared, 'mdns');
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const users = withServiceUsers(dir);
  fs.mkdirSync('/run/avahi-daemon', { recursive: true }); // the mount point each daemon's private one goes on
  const dirs = { logs: p.logs, pids: p.pids };
  for (const side of Object.keys(SIDES) as Side[]) {
    const ns = side === 'host' ? namespaces(prefix).host : namespaces(prefix).lan;
    const busFile = path.join(dir, `${side}-bus.conf`);
    const avahiFile = path.join(dir, `${side}-avahi.conf`);
    fs.writeFileSync(busFile, busConfig(busSocket(p, side)));
    fs.writeFileSync(avahiFile, avahiConfig(side));
    startProcess(inOwnMounts(`dbus-${side}`, ns, users, `dbus-daemon --config-file='${busFile}' --nofork --nopidfile`), dirs);
    await waitFor(`the ${side} side's D-Bus`, async () => fs.existsSync(busSocket(p, side)), 10_000, 50);
  }
  await Promise.all((Object.keys(SIDES) as Side[]).map((side) => startAvahi(prefix, p, side)));
}

/** One side's avahi-daemon on its D-Bus (already running), once it has announced itself. */
export async function startAvahi(prefix: string, p: LabPaths, side: Side): Promise<void> {
  const ns = side === 'host' ? namespaces(prefix).host : namespaces(prefix).lan;
  const log = path.join(p.logs, `avahi-${side}.log`);
  const from = fs.existsSync(log) ? fs.statSync(log).size : 0; // an earlier run's lines are in the same log
  startProcess(
    {
      ...inOwnMounts(
        `avahi-${side}`,
        ns,
        'mount -t tmpfs -o mode=0755 tmpfs /run/avahi-daemon',
        `avahi-daemon -f '${path.join(p.shared, 'mdns', `${side}-avahi.conf`)}' --no-chroot --no-drop-root --no-rlimits`,
      ),
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress(p, side) },
    },
    { logs: p.logs, pids: p.pids },
  );
  await waitFor(
    `avahi-daemon on the ${side} side`,
    async () => fs.readFileSync(log, 'utf8').slice(from).includes('Server startup complete'),
    15_000,
    100,
  );
}

/** One side's avahi-daemon stopped (its D-Bus stays): the LAN no longer hears from it. */
export const stopAvahi = (p: LabPaths, side: Side) => stopProcess(`avahi-${side}`, p.pids);
