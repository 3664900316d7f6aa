// What a user does in Keysmith, done in real Firefox through the popup and the options page.
import { createDecipheriv } from 'node:crypto';
import { parse } from 'dotenv';
import type { Browser, Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  chooseFile,
  control,
  fill,
  launchFirefox,
  MASTER,
  openExtensionPage,
  recordSavedFiles,
  setUpVault,
  waitForDescription,
  waitForText,
  waitUntil,
} from './firefox';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
});

const shownValue = (page: Page) => page.$eval('output[aria-label="Value"]', (el) => el.textContent ?? '');
const optionNames = (page: Page) =>
  page.$$eval('[role="option"]', (options) => options.map((o) => o.querySelector('.key')?.textContent ?? o.textContent ?? ''));

async function addSecret(page: Page, secret: { key: string; value: string; path?: string }): Promise<void> {
  await (await control(page, 'New secret')).click();
  await fill(page, 'Key', secret.key, 'New secret');
  await fill(page, 'Value', secret.value, 'New secret');
  if (secret.path) await fill(page, 'Path', secret.path, 'New secret');
  await (await control(page, 'Save', 20_000, 'New secret')).click();
  await waitForText(page, `Saved ${secret.key}.`);
}

describe('Keysmith in Firefox, as a user', () => {
  it('locks, makes a wrong password wait, unlocks; adds, reveals, edits and deletes a secret', async () => {
    browser = await launchFirefox();
    const page = await openExtensionPage(browser, '/popup.html');
    await setUpVault(page);
    await addSecret(page, { key: 'DB_PASSWORD', value: 'hunter2-db' });
    await addSecret(page, { key: 'DB_HOST', value: 'db.internal' });

    // Wrong passwords: the first two are typos, the third makes the next try wait.
    await (await control(page, 'Lock')).click();
    for (let i = 0; i < 3; i++) {
      await (await control(page, 'Master password')).type('not the password');
      await (await control(page, 'Unlock')).click();
      await waitForDescription(page, 'Master password', /Wrong master password/);
    }
    await waitForText(page, 'Too many wrong passwords: try again in');
    expect(await (await control(page, 'Unlock')).evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await (await control(page, 'Master password')).type(MASTER);
    await waitUntil(page, () => ![...document.querySelectorAll('button')].some((b) => b.textContent === 'Unlock' && b.disabled), {
      timeout: 10_000,
    });
    await (await control(page, 'Unlock')).click();
    await control(page, 'Search', 30_000);
    await waitForText(page, 'DB_PASSWORD');

    // Detail: hidden until revealed; Edit moves it to another path.
    await (await control(page, 'DB_PASSWORD')).click();
    expect(await shownValue(page)).not.toBe('hunter2-db');
    await (await control(page, 'Reveal')).click();
    await waitUntil(page, () => document.querySelector('output[aria-label="Value"]')?.textContent === 'hunter2-db', { timeout: 10_000 });
    await (await control(page, 'Edit')).click();
    await fill(page, 'Path', '/db');
    await (await control(page, 'Save')).click();
    await waitForText(page, 'Path /db');
    await (await control(page, 'Back to the list')).click();

    // Delete asks first.
    await (await control(page, 'DB_HOST')).click();
    await (await control(page, 'Delete')).click();
    await (await control(page, 'Delete secret')).click();
    await control(page, 'Search');
    await waitUntil(page, () => document.querySelectorAll('[role="option"]').length === 1, { timeout: 10_000 });
    expect((await optionNames(page)).join()).toContain('DB_PASSWORD');
  });

  it('generates a key and encrypts text that Node decrypts', async () => {
    browser = await launchFirefox();
    const page = await openExtensionPage(browser, '/popup.html');
    await (await control(page, 'Generate')).click();
    await fill(page, 'Key type', 'api-key', 'Generate a key');
    await fill(page, 'Prefix', 'sk', 'Generate a key');
    await (await control(page, 'Generate key')).click();
    const generated = await control(page, 'Generated key');
    expect(await generated.evaluate((el) => (el as HTMLInputElement).value)).toMatch(/^sk_[0-9a-f]{64}$/);
    await fill(page, 'Prefix', 'not ok!', 'Generate a key');
    await (await control(page, 'Generate key')).click();
    await waitForDescription(page, 'Prefix', /prefix must be 1 to 16 letters or digits/, 'Generate a key');

    await (await control(page, 'Encrypt')).click();
    const key = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
    await fill(page, 'Plaintext', 'postgres://admin:pa$$wörd@db/app', 'Encrypt');
    await fill(page, 'Key', key, 'Encrypt');
    await (await control(page, 'Encrypt', 20_000, 'Encrypt')).click();
    const json = await control(page, 'Encrypted (Toolkit JSON)');
    await waitUntil(page, (el) => (el as HTMLTextAreaElement).value.includes('ciphertext'), { timeout: 20_000 }, json);
    const sealed = JSON.parse(await json.evaluate((el) => (el as HTMLTextAreaElement).value)) as Record<string, string>;
    const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'hex'), Buffer.from(sealed.iv!, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag!, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext!, 'base64')), decipher.final()]).toString('utf8');
    expect(plaintext).toBe('postgres://admin:pa$$wörd@db/app');

    // And back in the popup, where a wrong key is refused in words.
    await fill(page, 'Toolkit JSON', JSON.stringify(sealed), 'Decrypt');
    await fill(page, 'Key', key.replace('00', 'ff'), 'Decrypt');
    await (await control(page, 'Decrypt', 20_000, 'Decrypt')).click();
    await waitForText(page, 'Decryption failed: the key or password is wrong');
    await fill(page, 'Key', key, 'Decrypt');
    await (await control(page, 'Decrypt', 20_000, 'Decrypt')).click();
    const decrypted = await control(page, 'Decrypted text');
    expect(await decrypted.evaluate((el) => (el as HTMLTextAreaElement).value)).toBe('postgres://admin:pa$$wörd@db/app');
  });

  it('imports and exports a .env file, and a backup restores only with both passwords', async () => {
    browser = await launchFirefox();
    const page = await openExtensionPage(browser, '/options.html', 'Keysmith settings');
    await (await control(page, 'Master password')).type(MASTER);
    await (await control(page, 'Confirm master password')).type(MASTER);
    await (await control(page, 'Create vault')).click();
    await control(page, 'Auto-lock after inactivity', 30_000);
    const files = await recordSavedFiles(page);

    const dotenv = 'DB_HOST=db.internal\n# the primary\nDB_PASSWORD="s3cr3t with spaces"\n';
    await chooseFile(page, '.env file', dotenv, 'app.env');
    await (await control(page, 'Import', 20_000, 'Import .env')).click();
    await waitForText(page, 'Imported 2, updated 0, skipped 0');
    await fill(page, 'Path to export', '/', 'Export .env');
    await (await control(page, 'Export', 20_000, 'Export .env')).click();
    await waitUntil(page, () => (globalThis as unknown as { __saved: unknown[] }).__saved.length === 1, { timeout: 10_000 });
    const [exported] = await files.saved();
    expect(exported!.name).toBe('Personal-Development.env');
    expect(parse(exported!.text)).toEqual(parse(dotenv));

    const backupPassword = 'backup passphrase 2026!';
    await fill(page, 'Backup password', backupPassword, 'Export encrypted backup');
    await fill(page, 'Confirm backup password', backupPassword, 'Export encrypted backup');
    await (await control(page, 'Export backup')).click();
    await waitUntil(page, () => (globalThis as unknown as { __saved: unknown[] }).__saved.length === 2, { timeout: 20_000 });
    const backup = (await files.saved())[1]!;
    expect(backup.name).toMatch(/^keysmith-backup-\d{4}-\d{2}-\d{2}\.json$/);
    expect(backup.text).not.toContain('db.internal');

    // Change the vault, then restore: a wrong backup password changes nothing; the right one brings the backup back, locked.
    await chooseFile(page, '.env file', 'LATER=added after the backup\n', 'later.env');
    await (await control(page, 'Import', 20_000, 'Import .env')).click();
    await waitForText(page, 'Imported 1, updated 0, skipped 0');
    await chooseFile(page, 'Backup file', backup.text, backup.name);
    await fill(page, 'Backup password', 'not the backup password', 'Restore from backup');
    await fill(page, 'Current master password', MASTER, 'Restore from backup');
    await (await control(page, 'Replace my current vault with this backup')).click();
    await (await control(page, 'Restore backup')).click();
    await waitForDescription(page, 'Backup password', /Wrong backup password/, 'Restore from backup', 60_000);
    await fill(page, 'Backup password', backupPassword, 'Restore from backup');
    await (await control(page, 'Restore backup')).click();
    await waitForText(page, 'Backup restored. Unlock with the master password', 60_000);
    await (await control(page, 'Master password')).type(MASTER);
    await (await control(page, 'Unlock')).click();
    await control(page, 'Auto-lock after inactivity', 30_000);
    await fill(page, 'Path to export', '/', 'Export .env');
    await (await control(page, 'Export', 20_000, 'Export .env')).click();
    await waitUntil(page, () => (globalThis as unknown as { __saved: unknown[] }).__saved.length === 3, { timeout: 10_000 });
    expect(parse((await files.saved())[2]!.text)).toEqual(parse(dotenv)); // LATER is gone: the backup's vault is back
  });
});
