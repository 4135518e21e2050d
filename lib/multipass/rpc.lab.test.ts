import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshMultipassDaemon, multipassDaemon, revokedByMultipass } from '@/lab/controls.mts';
import { run } from '@/lab/exec.mts';
import { labPaths } from '@/lab/paths.mts';
import { unreadableByOthers } from '@/lab/server.mts';
import { asUser } from '@/lab/setpriv.mts';
import { eventually, labPrefix } from '@/lab/testing.mts';
import { selfSignedIdentity } from '@/lib/tls/certificates.mts';
import { clientIdentity, identityFiles } from './identity.mts';
import { MultipassRpc } from './rpc.mts';

// labgate's Multipass client and `labgate multipass-auth` against the lab's daemon stand-in on
// the lab's socket, owned by group sudo as on a real host, run as an unprivileged user.
const NOBODY = 65534;
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const p = labPaths(labPrefix());
let scratch = '';
const clients: MultipassRpc[] = [];
const client = (identity: { cert: string; key: string }) => {
  const c = new MultipassRpc(p.multipassSocket, identity);
  clients.push(c);
  return c;
};

/** `labgate multipass-auth` as the host role's user would run it: unprivileged, its data dir, the passphrase on stdin. */
const multipassAuth = (dataDir: string, passphrase: string) =>
  run(
    'setpriv',
    [
      ...asUser(NOBODY, NOBODY, [], []),
      p.node,
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      '--tsconfig',
      path.join(ROOT, 'tsconfig.json'),
      '--conditions=react-server',
      path.join(ROOT, 'bin', 'labgate.ts'),
      'multipass-auth',
    ],
    {
      input: `${passphrase}\n`,
      cwd: ROOT,
      env: {
        NODE_ENV: 'production',
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        HOME: scratch,
        LABGATE_DATA_DIR: dataDir,
        LABGATE_MULTIPASS_SOCKET: p.multipassSocket,
      },
    },
  );

beforeAll(async () => {
  const unreadable = unreadableByOthers();
  if (unreadable) throw new Error(`the test runs labgate as an unprivileged user, but ${unreadable}`);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'labgate-mpauth-'));
  fs.chmodSync(scratch, 0o755);
  await freshMultipassDaemon(labPrefix());
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  await multipassDaemon(labPrefix(), 'running');
  await freshMultipassDaemon(labPrefix(), { used: true }); // the lab's default: Multipass used by its installer
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the Multipass daemon over its socket, as on a real host', () => {
  const dataDir = () => {
    const dir = path.join(scratch, 'data');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chownSync(dir, NOBODY, NOBODY);
    return dir;
  };

  it('a fresh daemon: only its admin group may open the socket, and labgate says how to get accepted', async () => {
    expect(fs.statSync(p.multipassSocket).mode & 0o777).toBe(0o660);
    const refused = await multipassAuth(dataDir(), 'lab-multipass-passphrase');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`labgate may not open the Multipass socket ${p.multipassSocket} (permission denied)`);
  });

  it('after its installing user, every other client is refused until `labgate multipass-auth` gives the right passphrase', async () => {
    await client(await selfSignedIdentity('installing-user', 30)).info(); // the installing user's client, accepted first
    expect(fs.statSync(p.multipassSocket).mode & 0o777).toBe(0o666);
    const dir = dataDir();
    const labgate = client(await clientIdentity(dir));
    await expect(labgate.info()).rejects.toMatchObject({ kind: 'not-authenticated' });

    const wrong = await multipassAuth(dir, 'a guess');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Passphrase is not correct. Please try again.');
    await expect(labgate.info()).rejects.toMatchObject({ kind: 'not-authenticated' });

    const right = await multipassAuth(dir, 'lab-multipass-passphrase');
    expect(right.stderr).toBe('');
    expect(right.stdout).toContain("accepted labgate's client certificate");
    const files = identityFiles(dir);
    for (const file of [files.cert, files.key]) {
      expect(fs.statSync(file)).toMatchObject({ uid: NOBODY, gid: NOBODY });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    }
    const records = await labgate.info();
    expect(records.find((r) => r.name === 'ops')).toMatchObject({ state: 'Running', ipv4: ['10.120.52.31'] });
  });

  it('the daemon stopped: daemon-down naming the socket; started again, the accepted certificate still works', async () => {
    const labgate = client(await clientIdentity(dataDir()));
    await multipassDaemon(labPrefix(), 'stopped');
    await eventually('the socket gone', async () => !fs.existsSync(p.multipassSocket), 5_000);
    await expect(labgate.info()).rejects.toMatchObject({ kind: 'daemon-down', message: expect.stringContaining(p.multipassSocket) });
    await multipassDaemon(labPrefix(), 'running');
    await eventually(
      'the daemon back',
      async () =>
        await labgate.info().then(
          () => true,
          () => false,
        ),
      10_000,
    );
  });
  it("labgate's certificate revoked (out of the daemon's store, the daemon restarted): not-authenticated, and `labgate multipass-auth` again mends it", async () => {
    const dir = dataDir();
    expect((await multipassAuth(dir, 'lab-multipass-passphrase')).code).toBe(0);
    const labgate = client(await clientIdentity(dir));
    await expect(labgate.info()).resolves.toContainEqual(expect.objectContaining({ name: 'ops' }));
    await revokedByMultipass(labPrefix(), dir);
    await expect(labgate.info()).rejects.toMatchObject({
      kind: 'not-authenticated',
      message: expect.stringContaining('run `labgate multipass-auth` with it on stdin'),
    });
    expect((await multipassAuth(dir, 'lab-multipass-passphrase')).code).toBe(0);
    await expect(labgate.info()).resolves.toContainEqual(expect.objectContaining({ name: 'ops' }));
  });
});
