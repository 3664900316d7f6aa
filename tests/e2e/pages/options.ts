import { expect, type BrowserContext, type Download, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

export type OnConflictLabel = 'Stop with an error (import nothing)' | 'Skip it (keep the stored value)' | 'Overwrite it';

/** The options page, opened as a tab and driven by roles and labels as a person would. */
export class OptionsPage {
  private constructor(readonly page: Page) {}

  static async open(context: BrowserContext, extensionId: string): Promise<OptionsPage> {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    return new OptionsPage(page);
  }

  form(name: string): Locator {
    return this.page.getByRole('form', { name, exact: true });
  }

  field(form: string, label: string): Locator {
    return this.form(form).getByLabel(label, { exact: true });
  }

  /** The settings are showing (the vault is unlocked). */
  async expectUnlocked(): Promise<void> {
    await expect(this.page.getByRole('heading', { name: 'Security', exact: true })).toBeVisible();
  }

  async setup(masterPassword: string): Promise<void> {
    const form = this.form('Create your vault');
    await form.getByLabel('Master password', { exact: true }).fill(masterPassword);
    await form.getByLabel('Confirm master password', { exact: true }).fill(masterPassword);
    await form.getByRole('button', { name: 'Create vault' }).click();
    await this.expectUnlocked();
  }

  /** Submits the unlock form; does not wait for the outcome. */
  async tryUnlock(masterPassword: string): Promise<Locator> {
    const form = this.form('Unlock Keysmith');
    await form.getByLabel('Master password', { exact: true }).fill(masterPassword);
    await form.getByRole('button', { name: 'Unlock', exact: true }).click();
    return form;
  }

  async unlock(masterPassword: string): Promise<void> {
    await this.tryUnlock(masterPassword);
    await this.expectUnlocked();
  }

  async lock(): Promise<void> {
    await this.page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(this.form('Unlock Keysmith')).toBeVisible();
  }

  autoLock(): Locator {
    return this.field('Locking and clipboard', 'Auto-lock after inactivity');
  }

  clipboard(): Locator {
    return this.field('Locking and clipboard', 'Clear copied secrets from the clipboard');
  }

  async choose(select: Locator, label: string): Promise<void> {
    await select.selectOption({ label });
    await expect(select).toHaveAccessibleDescription('Saved');
  }

  /** Chooses a key derivation (PBKDF2 with `iterations`, or Argon2id when omitted) and applies it. */
  async setKdf(masterPassword: string, iterations?: number): Promise<Locator> {
    const form = this.form('Key derivation');
    await form.getByLabel('Algorithm', { exact: true }).selectOption(iterations === undefined ? 'Argon2id' : 'PBKDF2-HMAC-SHA256');
    if (iterations !== undefined) await form.getByLabel('PBKDF2 iterations', { exact: true }).fill(String(iterations));
    await form.getByLabel('Master password', { exact: true }).fill(masterPassword);
    await form.getByRole('button', { name: 'Apply key derivation' }).click();
    await expect(form).toHaveAttribute('aria-busy', 'false');
    return form;
  }

  async changeMasterPassword(current: string, next: string): Promise<Locator> {
    const form = this.form('Change master password');
    await form.getByLabel('Current master password', { exact: true }).fill(current);
    await form.getByLabel('New master password', { exact: true }).fill(next);
    await form.getByLabel('Confirm new master password', { exact: true }).fill(next);
    await form.getByRole('button', { name: 'Change master password' }).click();
    await expect(form).toHaveAttribute('aria-busy', 'false');
    return form;
  }

  /** Imports into the default safe's environment; `file` goes through the file picker, else the text area. */
  async importDotenv(options: {
    text?: string;
    file?: string;
    path?: string;
    environment?: string;
    onConflict?: OnConflictLabel;
  }): Promise<Locator> {
    const form = this.form('Import .env');
    if (options.environment) await form.getByLabel('Environment', { exact: true }).selectOption({ label: options.environment });
    if (options.path !== undefined) await form.getByLabel('Path', { exact: true }).fill(options.path);
    if (options.file !== undefined) {
      await form
        .getByLabel('.env file', { exact: true })
        .setInputFiles({ name: 'app.env', mimeType: 'text/plain', buffer: Buffer.from(options.file) });
      await expect(form.getByLabel('.env contents', { exact: true })).toHaveValue(options.file);
    }
    if (options.text !== undefined) await form.getByLabel('.env contents', { exact: true }).fill(options.text);
    if (options.onConflict) await form.getByRole('radio', { name: options.onConflict }).check();
    await form.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(form).toHaveAttribute('aria-busy', 'false');
    return form;
  }

  /** Exports one environment; returns the downloaded file's name and text (checked equal to the shown text). */
  async exportDotenv(options: { path?: string; environment?: string } = {}): Promise<{ filename: string; text: string }> {
    const form = this.form('Export .env');
    if (options.environment) await form.getByLabel('Environment', { exact: true }).selectOption({ label: options.environment });
    await form.getByLabel('Path to export', { exact: true }).fill(options.path ?? '');
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      form.getByRole('button', { name: 'Export', exact: true }).click(),
    ]);
    const text = await readDownload(download);
    await expect(form.getByLabel('Exported .env', { exact: true })).toHaveValue(text);
    return { filename: download.suggestedFilename(), text };
  }

  async exportBackup(password: string): Promise<{ filename: string; text: string }> {
    const form = this.form('Export encrypted backup');
    await form.getByLabel('Backup password', { exact: true }).fill(password);
    await form.getByLabel('Confirm backup password', { exact: true }).fill(password);
    const [download] = await Promise.all([this.page.waitForEvent('download'), form.getByRole('button', { name: 'Export backup' }).click()]);
    return { filename: download.suggestedFilename(), text: await readDownload(download) };
  }

  /** Fills and submits the restore form (over a vault whose master password is `masterPassword`); does not wait for the outcome. */
  async restoreBackup(text: string, password: string, masterPassword: string): Promise<Locator> {
    const form = this.form('Restore from backup');
    await form
      .getByLabel('Backup file', { exact: true })
      .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await form.getByLabel('Backup password', { exact: true }).fill(password);
    await form.getByLabel('Current master password', { exact: true }).fill(masterPassword);
    await form.getByLabel('Replace my current vault with this backup', { exact: true }).check();
    await form.getByRole('button', { name: 'Restore backup' }).click();
    return form;
  }
}

async function readDownload(download: Download): Promise<string> {
  const path = await download.path();
  return readFile(path, 'utf8');
}
