import type { Page } from '@playwright/test';

export class ExposeDialog {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  readonly dialog = () => this.page.getByRole('dialog');
  readonly plan = () => this.dialog().getByRole('list', { name: 'Plan' });
  readonly url = (url: string) => this.dialog().getByRole('link', { name: url });

  async apply() {
    await this.dialog().getByRole('button', { name: 'Apply' }).click();
  }

  async close() {
    await this.dialog().getByRole('button', { name: 'Close' }).click();
  }
}
