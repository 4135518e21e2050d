import { shot } from './fixtures/docs-images';
import { expect, test } from './fixtures/app';
import { TablePage } from './pages/tables';

// Is it up, as a person sees it: a forward's backend stopped and started again, the Forwards page
// and the Overview following without a reload (the server probes every 5 s in the tests).
const BACKEND = { name: 'Backend', listenPort: 8098, target: { kind: 'instance', name: 'ops', port: 9098 } };
const REFUSED = 'connection refused by 10.120.52.31:9098';

test.use({ viewport: { width: 1400, height: 800 }, colorScheme: 'light' });

test('a forward is up, down with the reason while its backend is stopped, and up again, with its history — live on the Forwards page and the Overview', async ({
  page,
  hostApi,
  lab,
  loggedIn: _,
}, testInfo) => {
  test.setTimeout(90_000); // three changes of health, each seen within a probe interval
  let stop = await lab.backend(9098);
  const created = await hostApi.post('/api/host/forwards', { data: BACKEND });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  try {
    await page.goto('/forwards');
    const row = new TablePage(page).row('Forwards', 'Backend');
    const health = row.getByRole('cell').nth(6);
    await expect(health).toHaveText(/^up\s*since/, { timeout: 15_000 });
    await expect(health).toContainText('100% 24 h');

    await stop();
    await expect(health).toHaveText(/^down\s*since/, { timeout: 15_000 });
    await expect(health).toContainText(REFUSED);

    await page.goto('/');
    await expect(page.getByRole('region', { name: 'Counts' }).getByRole('link', { name: /Forwards/ })).toContainText('1 down');
    await expect(page.getByRole('region', { name: 'Health' })).toContainText(
      `Forward Backend (http://192.168.50.27:8098/) is down: ${REFUSED}.`,
    );

    stop = await lab.backend(9098);
    await expect(page.getByRole('region', { name: 'Health' })).toContainText('No problems found.', { timeout: 15_000 });
    await page.goto('/forwards');
    await expect(health).toHaveText(/^up\s*since/);
    await health.getByText('History').click();
    const history = health.getByRole('list', { name: 'Backend: changes of health, newest first' });
    await expect(history.getByRole('listitem')).toHaveCount(3);
    await expect(history.getByRole('listitem').nth(1)).toContainText(`down: ${REFUSED}`);
    await page.screenshot({ path: shot('forwards-health.png', testInfo) });
  } finally {
    await stop();
    expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
  }
});
