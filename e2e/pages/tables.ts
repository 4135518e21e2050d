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

  filter(label: string) {
    return this.page.getByLabel(`Filter ${label}`);
  }

  banner(title: string) {
    return this.page.getByRole('alert').filter({ hasText: title });
  }
}
