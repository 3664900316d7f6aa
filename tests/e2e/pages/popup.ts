import type { BrowserContext, Locator, Page } from '@playwright/test';

/** The toolbar popup, opened as a tab, found by roles and labels as a person would. */
export class PopupPage {
  private constructor(readonly page: Page) {}

  /** Opens the popup on `tab` (the popup itself starts on Vault). */
  static async open(context: BrowserContext, extensionId: string, tab: 'Generate' | 'Encrypt' = 'Generate'): Promise<PopupPage> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const popup = new PopupPage(page);
    await popup.tab(tab).click();
    return popup;
  }

  tab(name: 'Vault' | 'Generate' | 'Encrypt'): Locator {
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
