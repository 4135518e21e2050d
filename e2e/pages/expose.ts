import type { Page } from '@playwright/test';

export class ExposeDialog {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  readonly dialog = () => this.page.getByRole('dialog');
  readonly plan = () => this.dialog().getByRole('list', { name: 'Plan' });
  readonly url = (url: string) => this.dialog().getByRole('link', { name: url });
  readonly lanName = () => this.dialog().getByLabel(/Name on the LAN/);
  readonly https = () => this.dialog().getByLabel(/HTTPS/);

  /** Names the exposure (the plan is made again when the field is left). */
  async name(label: string) {
    await this.lanName().fill(label);
    await this.lanName().blur();
  }

  /** Who may reach it: one of the dialog's choices, by its words (the plan is made again at once). */
  readonly access = (choice: string | RegExp) => this.dialog().getByRole('group', { name: 'Who may reach it' }).getByLabel(choice);

  async apply() {
    await this.dialog().getByRole('button', { name: 'Apply' }).click();
  }

  async close() {
    await this.dialog().getByRole('button', { name: 'Close' }).click();
  }
}
