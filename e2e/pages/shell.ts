import type { Page } from '@playwright/test';

export class Shell {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  readonly nav = () => this.page.getByRole('navigation', { name: 'Main' });
  readonly navLink = (label: string) => this.nav().getByRole('link', { name: label });
  readonly heading = () => this.page.getByRole('heading', { level: 1 });

  async logout() {
    await this.page.getByRole('button', { name: 'Log out' }).filter({ visible: true }).click();
  }
}
