import type { Page } from '@playwright/test';

export class LoginPage {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  readonly password = () => this.page.getByLabel('Admin password');
  readonly submit = () => this.page.getByRole('button', { name: 'Log in' });
  readonly heading = () => this.page.getByRole('heading', { name: 'labgate' });

  async goto() {
    await this.page.goto('/login');
  }

  async login(password: string) {
    await this.password().fill(password);
    await this.submit().click();
  }
}
