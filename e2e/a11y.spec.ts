import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/app';

// Every page at a desktop's size and a phone's (390×844), checked by axe, with a screenshot of each
// kept as a test artifact.
const PAGES = ['/', '/instances', '/nodes', '/services', '/forwards', '/activity', '/no-such-page'];
const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

/** axe's serious and critical findings, one line each: what a person using a screen reader or a keyboard would hit. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join('; ')}`,
    );
}

for (const size of SIZES) {
  test(`every page on a ${size.name} (${size.width}×${size.height}) has no serious accessibility violation`, async ({
    page,
    loggedIn: _,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    const found: string[] = [];
    for (const url of PAGES) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      for (const v of await seriousViolations(page)) found.push(`${url}: ${v}`);
      await page.screenshot({ path: test.info().outputPath(`${size.name}${url === '/' ? '/overview' : url}.png`), fullPage: true });
    }
    expect(found).toEqual([]);
  });

  test(`the login page on a ${size.name} has no serious accessibility violation`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto('/login');
    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('on a phone: the nav shows every area, a table scrolls whole (header over its columns, the actions reachable), badges fit, the topology is a list', async ({
  page,
  lab,
  loggedIn: _,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  lab.control('multipass', 'state', 'ops', 'Delayed Shutdown'); // the longest badge
  try {
    await page.goto('/instances');
    for (const link of await page.getByRole('navigation', { name: 'Main' }).getByRole('link').all()) {
      const box = (await link.boundingBox())!;
      expect(box.x + box.width, await link.innerText()).toBeLessThanOrEqual(390);
    }
    const table = page.getByRole('table', { name: 'Instances' });
    const ops = table.getByRole('row').filter({ hasText: 'Delayed Shutdown' });
    await expect(ops).toBeVisible({ timeout: 15_000 });
    const badge = ops.getByText('Delayed Shutdown', { exact: true });
    const cell = ops.getByRole('cell').filter({ has: page.getByText('Delayed Shutdown', { exact: true }) });
    const [b, c] = [(await badge.boundingBox())!, (await cell.boundingBox())!];
    expect(b.x + b.width).toBeLessThanOrEqual(c.x + c.width);

    // Scrolled sideways to its end: the header moved with the body, and the last column's control is on screen.
    await table.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    const header = (await table.getByRole('columnheader', { name: 'Node' }).boundingBox())!;
    const nodeCell = (await ops.getByRole('cell').filter({ hasText: 'not a node' }).boundingBox())!;
    expect(Math.abs(header.x - nodeCell.x)).toBeLessThan(2);
    const last = (await ops.getByRole('button', { name: 'Delete ops' }).boundingBox())!;
    expect(last.x).toBeGreaterThanOrEqual(0);
    expect(last.x + last.width).toBeLessThanOrEqual(390);
    // ...and the first column stayed in view.
    const name = (await ops.getByRole('cell').first().boundingBox())!;
    expect(name.x).toBeGreaterThanOrEqual(0);

    await page.goto('/');
    await expect(page.getByRole('list', { name: 'VMs' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Pods on node1' })).toBeVisible();
    await expect(page.getByRole('figure', { name: /^Topology/ })).toBeHidden();
  } finally {
    lab.control('multipass', 'state', 'ops', 'Running');
  }
});
