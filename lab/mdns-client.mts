// The laptop's side of the LAN's names: resolving NAME.local as a device on the LAN would (its
// own avahi-daemon, asked through avahi-resolve), and another device claiming a name. Reads the
// lab from the environment (`lab env`): no paths of its own, so end-to-end specs may import it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';

/** A command's outcome, never a throw (async: a test's own server runs in the same process). */
function run(cmd: string, args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(cmd, args, { encoding: 'utf8', timeout }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    ),
  );
}

const lan = () => {
  const prefix = process.env.LABGATE_LAB_PREFIX;
  const bus = process.env.LABGATE_LAB_LAN_BUS;
  if (!prefix || !bus) throw new Error('no lab in the environment (LABGATE_LAB_PREFIX, LABGATE_LAB_LAN_BUS): source `lab env` first');
  return { ns: `${prefix}lan`, bus };
};

/** The address NAME.local has for a device on the LAN right now, or null. */
export async function resolveFromLan(name: string): Promise<string | null> {
  const { ns, bus } = lan();
  const res = await run(
    'ip',
    ['netns', 'exec', ns, 'env', `DBUS_SYSTEM_BUS_ADDRESS=${bus}`, 'avahi-resolve', '-4', '--name', name],
    10_000,
  );
  const m = /^\S+\s+(\d+\.\d+\.\d+\.\d+)$/m.exec(res.stdout);
  return m ? m[1]! : null;
}

/** curl from the laptop to a URL whose host is a name on the LAN, resolved as above first (curl itself has no mDNS). */
export async function curlNamedFromLan(
  url: string,
  extra: string[] = [],
): Promise<{ ok: boolean; code: number; body: string; stderr: string }> {
  const u = new URL(url);
  const address = await resolveFromLan(u.hostname);
  if (!address) return { ok: false, code: -1, body: '', stderr: `${u.hostname} does not resolve from the LAN` };
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const res = await run(
    'ip',
    ['netns', 'exec', lan().ns, 'curl', '-sS', '--max-time', '5', '--resolve', `${u.hostname}:${port}:${address}`, ...extra, url],
    10_000,
  );
  return { ok: res.code === 0, ...res, body: res.stdout };
}

/** Another device on the LAN takes NAME.local (until the returned process is stopped). Resolves once it holds the name. */
export async function claimFromLan(name: string, address = '192.168.50.10'): Promise<ChildProcess> {
  const { ns, bus } = lan();
  const child = spawn('ip', ['netns', 'exec', ns, 'env', `DBUS_SYSTEM_BUS_ADDRESS=${bus}`, 'avahi-publish', '-a', '-R', name, address], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the LAN device could not claim ${name}: ${text}`)), 10_000);
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('Established')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}
