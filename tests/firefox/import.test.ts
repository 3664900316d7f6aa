// An import in real Firefox: a 1Password 1PUX (a zip, read in the options page) through its preview into the vault.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { control, fill, launchFirefox, MASTER, openExtensionPage, waitForText } from './firefox';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
});

const FORM = 'Import from another manager';

describe('Import in Firefox', () => {
  it('reads a 1PUX export, previews it, imports it, and the popup lists the secrets', async () => {
    browser = await launchFirefox();
    const page = await openExtensionPage(browser, '/options.html', 'Keysmith settings');
    await (await control(page, 'Master password')).type(MASTER);
    await (await control(page, 'Confirm master password')).type(MASTER);
    await (await control(page, 'Create vault')).click();
    await control(page, 'Auto-lock after inactivity', 30_000);

    await fill(page, 'Path', '/1p', FORM);
    const zip = readFileSync(join(import.meta.dirname, '../fixtures/import/1password.1pux')).toString('base64');
    const input = await control(page, 'Export file', 20_000, FORM);
    await input.evaluate((el, zip) => {
      const files = new DataTransfer();
      files.items.add(new File([Uint8Array.from(atob(zip), (c) => c.charCodeAt(0))], 'export.1pux'));
      (el as HTMLInputElement).files = files.files;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, zip);
    await (await control(page, 'Preview', 20_000, FORM)).click();

    await waitForText(page, 'Read as: 1Password (1PUX file)');
    const shown = await page.evaluate(() => document.body.innerText);
    expect(shown).toContain('Secrets read: 5');
    expect(shown).toContain('/1p/Private: 4');
    expect(shown).toContain('/1p/_/Shared: 1');
    expect(shown).toMatch(/Passkeys \(1\): not imported/);
    expect(shown).toMatch(/Attachments and documents \(1\): not imported/);
    await (await control(page, 'Import')).click();
    await waitForText(page, 'Imported 5, updated 0, skipped 0');

    const popup = await openExtensionPage(browser, '/popup.html');
    await control(popup, 'Search', 30_000);
    for (const key of ['GitLab', 'GitLab TOTP', 'OpenAI API', 'VPN notes']) await waitForText(popup, key);
  });
});
