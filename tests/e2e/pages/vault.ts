import { expect, type Locator, type Page } from '@playwright/test';

/** The popup's Vault tab: setup, unlock, list, detail, as a person uses it. */
export class VaultPage {
  /** Everything the Vault tab shows; the other tabs' (hidden) fields share some labels. */
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByRole('tabpanel', { name: 'Vault' });
  }

  static async open(page: Page, extensionId: string) {
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    return new VaultPage(page);
  }

  field(label: string): Locator {
    return this.root.getByLabel(label, { exact: true });
  }

  button(name: string): Locator {
    return this.root.getByRole('button', { name, exact: true });
  }

  async setup(password: string) {
    await this.field('Master password').fill(password);
    await this.field('Confirm master password').fill(password);
    await this.button('Create vault').click();
    await expect(this.page.getByRole('searchbox', { name: 'Search' })).toBeVisible({ timeout: 20_000 });
  }

  async unlock(password: string) {
    await this.field('Master password').fill(password);
    await this.button('Unlock').click();
  }

  async expectUnlocked() {
    await expect(this.page.getByRole('searchbox', { name: 'Search' })).toBeVisible({ timeout: 20_000 });
  }

  async addSecret(secret: { key: string; value: string; path?: string; tags?: string; comment?: string }) {
    await this.button('New secret').click();
    await this.field('Key').fill(secret.key);
    await this.field('Value').fill(secret.value);
    if (secret.path) await this.field('Path').fill(secret.path);
    if (secret.tags) await this.field('Tags').fill(secret.tags);
    if (secret.comment) await this.field('Comment').fill(secret.comment);
    await this.button('Save').click();
    await expect(this.root.getByRole('status').filter({ hasText: `Saved ${secret.key}.` })).toBeVisible();
  }

  list(): Locator {
    return this.root.getByRole('listbox', { name: 'Secrets' });
  }

  option(key: string): Locator {
    return this.list().getByRole('option', { name: key });
  }

  async optionNames(): Promise<string[]> {
    return (await this.list().getByRole('option').allInnerTexts()).map((t) => t.split(/\s/)[0]!);
  }
}

/**
 * Sends one lib/messages/protocol.ts request from an extension page, in @webext-core/messaging's wire
 * format, exactly as the popup's `call` would (the sender is attested as an extension page).
 */
export async function sendFromPage<T = unknown>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = await page.evaluate(
    ([type, data]) =>
      (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(m: unknown): Promise<{ res: { ok: boolean; value?: unknown; error?: unknown } }> } };
        }
      ).chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() }),
    [type, data] as const,
  );
  if (!reply.res.ok) throw new Error(`${type} failed: ${JSON.stringify(reply.res.error)}`);
  return reply.res.value as T;
}
