import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, test } from './fixtures/app';
import { TablePage } from './pages/tables';
import { SHAPE } from './shape';

/** The process listening where `ss` finds it (a TCP port, or a unix socket's path). */
function listener(args: string[]): number {
  const out = spawnSync('ss', ['-Hlp', ...args], { encoding: 'utf8' }).stdout;
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`nothing listens for ss ${args.join(' ')}: ${out}`);
  return Number(pid);
}

const status = (pid: number) => {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(text)![1]!.trim();
  return { uid: field('Uid').split(/\s+/)[0], groups: field('Groups'), capEff: field('CapEff'), capBnd: field('CapBnd') };
};

test(`the deployment under test is the ${SHAPE} shape, with its users and capabilities`, async () => {
  const ui = status(listener(['-t', `sport = :${process.env.LABGATE_E2E_PORT}`]));
  if (SHAPE === 'all') {
    expect(ui.uid).toBe('0'); // one process as `npm run demo` runs it
    return;
  }
  const hostPid = listener(['-x', `src ${process.env.LABGATE_E2E_HOST_SOCKET}`]);
  const host = status(hostPid);
  expect(host.uid).not.toBe('0');
  expect(ui.uid).not.toBe('0');
  expect(host.uid).not.toBe(ui.uid);
  expect(host.capEff).toBe('0000000000003000'); // CAP_NET_ADMIN and CAP_NET_RAW, as its unit grants
  expect(host.capBnd).toBe('0000000000003000');
  expect(ui.capEff).toBe('0000000000000000');
  expect(ui.capBnd).toBe('0000000000000000');
  const socket = fs.statSync(process.env.LABGATE_E2E_HOST_SOCKET!);
  expect(socket.mode & 0o777).toBe(0o660);
  expect(ui.groups.split(/\s+/)).toContain(String(socket.gid)); // the group the two share opens the socket
  expect(spawnSync('ss', ['-Hltnp'], { encoding: 'utf8' }).stdout).not.toContain(`pid=${hostPid},`); // no TCP port at all
});

test('Multipass is asked by the process that owns the host side only; the pages list its instances', async ({
  page,
  request,
  loggedIn: _,
}) => {
  await page.goto('/instances');
  await expect(new TablePage(page).row('Instances', 'ops')).toContainText('Running');
  if (SHAPE === 'two-role') {
    // The ui role never asked Multipass, not even while the daemon was away in other tests...
    const metrics = await request.get('/metrics', { headers: { authorization: `Bearer ${process.env.LABGATE_E2E_METRICS_TOKEN}` } });
    expect(await metrics.text()).not.toMatch(/^labgate_source_errors_total\{source="multipass"\} [1-9]/m);
    // ...and it could not: no multipass command on its PATH, and no Multipass identity of its own.
    const uiPid = listener(['-t', `sport = :${process.env.LABGATE_E2E_PORT}`]);
    const PATH = /(?:^|\0)PATH=([^\0]*)/.exec(fs.readFileSync(`/proc/${uiPid}/environ`, 'utf8'))![1]!;
    expect(PATH.split(':').filter((dir) => fs.existsSync(`${dir}/multipass`))).toEqual([]);
    expect(fs.existsSync(`${process.env.LABGATE_E2E_DATA_DIR}/multipass`)).toBe(false);
  }
});
