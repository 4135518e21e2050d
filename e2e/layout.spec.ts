import { expect, test } from './fixtures/app';

test.describe.configure({ mode: 'serial' });

const GRAFANA = {
  name: 'Grafana',
  listenPort: 30060,
  target: { kind: 'instance', name: 'ops', port: 8080 },
  lanName: 'grafana',
};

for (const width of [1280, 1400]) {
  test(`at ${width}×800: a LAN URL stays on one line, and no page is wider than the window`, async ({ page, hostApi, loggedIn: _l }) => {
    await page.setViewportSize({ width, height: 800 });
    const created = await hostApi.fetch('/api/host/forwards', 'POST', { data: GRAFANA });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    try {
      await page.goto('/forwards');
      const link = page.getByRole('link', { name: 'http://grafana.local:30060/' });
      await expect(link).toBeVisible();
      // On one line: its boxes all start at the same height.
      const lines = await link.evaluate((a) => new Set([...a.getClientRects()].map((r) => Math.round(r.top))).size);
      expect(lines).toBe(1);
      for (const path of ['/', '/instances', '/nodes', '/services', '/forwards', '/activity']) {
        await page.goto(path);
        await expect(page.getByRole('main')).toBeVisible();
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        expect(wide, `${path} is ${wide} px wide in a ${width} px window`).toBeLessThanOrEqual(width);
      }
    } finally {
      expect((await hostApi.fetch(`/api/host/forwards/${id}`, 'DELETE')).ok()).toBe(true);
    }
  });
}
