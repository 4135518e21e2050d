import { expect, type Page } from '@playwright/test';

/** The Nodes page's "Pin a workload" form. */
export class PinForm {
  private readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  readonly form = () => this.page.getByRole('form', { name: 'Pin a workload' });
  readonly workload = () => this.form().getByLabel('Workload', { exact: true });
  readonly key = () => this.form().getByLabel('Node label key', { exact: true });
  readonly value = () => this.form().getByLabel('Node label value', { exact: true });

  /** Pins `workload` (Kind/namespace/name) to the nodes labelled key=value, once the form shows `matching` as those nodes. */
  async pin(workload: string, key: string, value: string, matching: string) {
    await this.workload().selectOption(workload);
    await this.key().fill(key);
    await this.value().fill(value);
    await expect(this.form().getByText(`Nodes that match: ${matching}.`)).toBeVisible();
    await this.form().getByRole('button', { name: 'Pin', exact: true }).click();
    await expect(this.form().getByText(/nodeSelector is set/)).toBeVisible();
  }

  async clear(workload: string) {
    await this.workload().selectOption(workload);
    await this.form().getByRole('button', { name: 'Clear pinning' }).click();
    await expect(this.form().getByText(/nodeSelector is set/)).toBeVisible();
  }
}
