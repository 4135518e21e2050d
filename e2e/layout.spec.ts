import { expect, test } from './fixtures/app';

test.describe.configure({ mode: 'serial' });

const GRAFANA = {
  name: 'Grafana',
  listenPort: 30060,
  target: { kind: 'instance', name: 'ops', port: 8080 },
  lanName: 'grafana',
};

for (const width of [1280, 1400]) {
  test(`at ${width}×800: a LAN URL stays on one line, the topology can be read, and no page is wider than the window`, async ({
    page,
    hostApi,
    loggedIn: _l,
  }) => {
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
      // The topology drawn at a size its words can be read at, without zooming: a VM's name at 12 px or more.
      await page.goto('/');
      const vmName = page.getByRole('figure', { name: /^Topology/ }).getByText('node1', { exact: true });
      await expect(vmName).toBeVisible();
      const shownPx = await vmName.evaluate((el) => {
        const viewport = el.closest('.react-flow__viewport')!;
        const scale = new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a;
        return parseFloat(getComputedStyle(el).fontSize) * scale;
      });
      expect(shownPx, `a VM's name is drawn at ${shownPx.toFixed(1)} px`).toBeGreaterThanOrEqual(12);
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
