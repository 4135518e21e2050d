import { LAN } from './fixtures/lab';
import type { APIRequestContext } from '@playwright/test';
import { expect, scrapeMetrics, test } from './fixtures/app';
import { JENKINS, type HostApi } from './fixtures/host-api';
import { TablePage } from './pages/tables';
import { hostDataDir, SHAPE } from './shape';

test.describe.configure({ mode: 'serial' });
const OUTAGE_MS = Number(process.env.LABGATE_OUTAGE_SECONDS ?? 30) * 1000;
// What an outage may add to the server's memory: bounded, whatever its length.
const RSS_GROWTH_LIMIT = 64 * 2 ** 20;
const rss = async (request: Parameters<typeof scrapeMetrics>[0]) =>
  (await scrapeMetrics(request)).get('labgate_process_resident_memory_bytes')!;
const WHOAMI = { name: 'Whoami', listenPort: 30080, target: { kind: 'service', namespace: 'default', name: 'whoami', port: 80 } };

/** A forward made through the host API, and the server's memory before the outage starts. */
async function forwardBeforeOutage(request: APIRequestContext, hostApi: HostApi, data: object): Promise<{ id: string; rssBefore: number }> {
  return { id: await hostApi.openForward(data), rssBefore: await rss(request) };
}

test(`the apiserver away for ${OUTAGE_MS / 1000} s: a banner, the forward stays (stale), and all recovers by itself`, async ({
  hostApi,
  page,
  request,
  lab,
  loggedIn: _,
}) => {
  test.setTimeout(OUTAGE_MS + 90_000);
  const { id, rssBefore } = await forwardBeforeOutage(request, hostApi, WHOAMI);
  const url = `http://${LAN}:30080/`;
  expect(lab.curlFromLan(url)).toContain('whoami');
  await page.goto('/forwards');
  lab.control('apiserver', 'stop');
  try {
    await page.goto('/');
    await expect(page.getByRole('alert').filter({ hasText: 'The cluster is not answering' })).toBeVisible({ timeout: 20_000 });
    await page.waitForTimeout(OUTAGE_MS); // the outage itself: nothing to wait for but time
    expect(lab.curlFromLan(url)).toContain('whoami');
    await page.goto('/forwards');
    await expect(new TablePage(page).row('Forwards', 'Whoami')).toContainText('stale');
  } finally {
    lab.control('apiserver', 'start');
  }
  await page.goto('/');
  await expect(page.getByRole('alert').filter({ hasText: 'The cluster is not answering' })).toBeHidden({ timeout: 30_000 });
  await expect
    .poll(async () => ((await (await hostApi.get(`/api/host/forwards/${id}`)).json()) as { status: { state: string } }).status.state, {
      timeout: 30_000,
    })
    .toBe('applied');
  expect((await rss(request)) - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
  expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
});

// The shape the units run gets the whole outage the issue names; the one-process shape a short one.
const MULTIPASS_OUTAGE_MS = SHAPE === 'two-role' ? Math.max(OUTAGE_MS, 300_000) : OUTAGE_MS;

test(`Multipass away for ${MULTIPASS_OUTAGE_MS / 1000} s: a banner, the instance forward stays, and all recovers by itself`, async ({
  hostApi,
  page,
  request,
  lab,
  loggedIn: _,
}) => {
  test.setTimeout(MULTIPASS_OUTAGE_MS + 60_000);
  const { id, rssBefore } = await forwardBeforeOutage(request, hostApi, JENKINS);
  lab.multipass('stopped');
  try {
    await page.goto('/instances');
    await expect(page.getByRole('alert').filter({ hasText: 'Multipass is not answering' })).toBeVisible({ timeout: 15_000 });
    await page.waitForTimeout(MULTIPASS_OUTAGE_MS);
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');
  } finally {
    lab.multipass('running');
  }
  await expect(page.getByRole('alert').filter({ hasText: 'Multipass is not answering' })).toBeHidden({ timeout: 20_000 });
  // multipassd's restart removed every rule naming its subnet; labgate's were not among them, and all still answers.
  await expect.poll(() => lab.curlFromLan(`http://${LAN}:8080/`), { timeout: 15_000 }).toContain('Jenkins');
  expect((await rss(request)) - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
  expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
});

test("labgate's Multipass certificate revoked: a banner with the command that fixes it, the forward stays, and accepted again all recovers", async ({
  hostApi,
  page,
  request,
  lab,
  loggedIn: _,
}) => {
  const { id } = await forwardBeforeOutage(request, hostApi, JENKINS);
  lab.control('multipass', 'revoke', hostDataDir());
  const banner = page.getByRole('alert').filter({ hasText: 'Multipass does not accept labgate' });
  try {
    await page.goto('/instances');
    await expect(banner).toContainText("has not accepted labgate's client certificate", { timeout: 15_000 });
    await expect(banner).toContainText('labgate multipass-auth');
    await expect(banner).toContainText('The list below is the last one Multipass gave.');
    await expect(new TablePage(page).row('Instances', 'ops')).toContainText('10.120.52.31');
    expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');
    await page.goto('/forwards');
    await expect(new TablePage(page).row('Forwards', 'Jenkins')).toContainText('10.120.52.31:8080');
  } finally {
    lab.control('multipass', 'accept', hostDataDir());
  }
  await page.goto('/instances');
  await expect(banner).toBeHidden({ timeout: 15_000 });
  expect(lab.curlFromLan(`http://${LAN}:8080/`)).toContain('Jenkins');
  expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
});

test(`iptables-restore failing for ${OUTAGE_MS / 1000} s: a banner, a new forward refused with nothing changed, and the flushed rules repaired by itself`, async ({
  hostApi,
  page,
  request,
  lab,
  loggedIn: _,
}) => {
  test.setTimeout(OUTAGE_MS + 60_000);
  const { id, rssBefore } = await forwardBeforeOutage(request, hostApi, WHOAMI);
  const url = `http://${LAN}:30080/`;
  lab.control('iptables-restore', 'fail');
  try {
    lab.control('reboot'); // the rules are gone and cannot be put back while the tool fails
    await page.goto('/');
    const banner = page.getByRole('alert').filter({ hasText: 'Forwards cannot be kept true' });
    await expect(banner).toBeVisible({ timeout: 15_000 });
    await expect(banner).toContainText('CAP_NET_ADMIN');
    const refused = await hostApi.post('/api/host/forwards', { data: JENKINS });
    expect(refused.status()).toBe(502);
    expect(((await refused.json()) as { error: string }).error).toContain('CAP_NET_ADMIN');
    const listed = (await (await hostApi.get('/api/host/forwards')).json()) as { name: string }[];
    expect(listed.map((f) => f.name)).toEqual(['Whoami']);
    await page.waitForTimeout(OUTAGE_MS);
    expect(lab.iptablesSave()).not.toContain('LABGATE');
  } finally {
    lab.control('iptables-restore', 'ok');
  }
  await expect.poll(() => lab.curlFromLan(url), { timeout: 10_000 }).toContain('whoami');
  await page.goto('/');
  await expect(page.getByRole('alert').filter({ hasText: 'Forwards cannot be kept true' })).toBeHidden({ timeout: 15_000 });
  expect((await rss(request)) - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT);
  expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
});
