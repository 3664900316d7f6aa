import type { BrowserContext, Locator, Page } from '@playwright/test';

/** The toolbar popup, opened as a tab, found by roles and labels as a person would. */
export class PopupPage {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, extensionId: string): Promise<PopupPage> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    return new PopupPage(page);
  }

  tab(name: 'Generate' | 'Encrypt'): Locator {
    return this.page.getByRole('tab', { name });
  }

  form(name: string): Locator {
    return this.page.getByRole('form', { name, exact: true });
  }

  async generateKey(type: string, options: { prefix?: string; length?: number } = {}) {
    const form = this.form('Generate a key');
    await form.getByLabel('Key type', { exact: true }).selectOption({ label: type });
    if (options.prefix !== undefined) await form.getByLabel('Prefix', { exact: true }).fill(options.prefix);
    if (options.length !== undefined) await form.getByLabel('Length', { exact: true }).fill(String(options.length));
    await form.getByRole('button', { name: 'Generate key', exact: true }).click();
    return form;
  }
}
