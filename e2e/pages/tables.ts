import type { Page } from '@playwright/test';

/** Any of the data tables: rows by their text, cells by column. */
export class TablePage {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  table(label: string) {
    return this.page.getByRole('table', { name: label });
  }

  row(label: string, text: string | RegExp) {
    return this.table(label).getByRole('row').filter({ hasText: text });
  }

  /** The cells of the row whose first cell is `first`, by their column's header (as the page spells it, not as CSS shows it). */
  async cells(label: string, first: string): Promise<Record<string, string>> {
    const headers = await this.table(label).getByRole('columnheader').allTextContents();
    const row = this.table(label)
      .getByRole('row')
      .filter({
        has: this.page
          .getByRole('cell')
          .first()
          .filter({ hasText: new RegExp(`^${first}$`) }),
      });
    const cells = await row.getByRole('cell').allTextContents();
    return Object.fromEntries(headers.map((h, i) => [h.replace(/[▲▼↑↓]/g, '').trim(), (cells[i] ?? '').trim()]));
  }

  filter(label: string) {
    return this.page.getByLabel(`Filter ${label}`);
  }

  banner(title: string) {
    return this.page.getByRole('alert').filter({ hasText: title });
  }
}
