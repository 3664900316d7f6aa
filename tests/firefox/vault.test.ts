// The vault in real Firefox: its background is an event page with a DOM, not a service worker, so
// the clipboard is written and cleared there directly, and storage.session / IndexedDB are Firefox's.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, KeyInput, Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveKeys, findKeys, readStoredKeys } from '../e2e/keys-on-disk';
import { control, launchFirefox, MASTER, openExtensionPage, reload, sendFromPage, setUpVault, waitForText } from './firefox';

/** Sets the popup's search box to `text`, then presses Control with each of `keys` there, as a person would. */
async function inSearchBox(page: Page, text: string, keys: KeyInput[]) {
  const search = await control(page, 'Search');
  await search.evaluate((el, text) => ((el as HTMLInputElement).value = text), text);
  await search.focus();
  await page.keyboard.down('Control');
  for (const key of keys) await page.keyboard.press(key);
  await page.keyboard.up('Control');
  return search;
}

/** What a paste into the popup's search box yields: the clipboard as the user would see it. */
async function pasted(page: Page): Promise<string> {
  const search = await inSearchBox(page, '', ['v']);
  return search.evaluate((el) => (el as HTMLInputElement).value);
}

let browser: Browser | undefined;
let profile: string | undefined;
afterEach(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  if (profile) rmSync(profile, { recursive: true, force: true });
  profile = undefined;
});

describe('Keysmith in Firefox', () => {
  it('sets up a vault, copies a secret from the background page, and clears it after the delay and on lock', async () => {
    browser = await launchFirefox();
    const page = await openExtensionPage(browser, '/popup.html');
    await setUpVault(page);
    await sendFromPage(page, 'vault.create', {
      appName: 'Personal',
      envName: 'Development',
      keyValuePairs: { FIREFOX_KEY: 'ff-secret-value' },
    });
    await sendFromPage(page, 'vault.updateSettings', { clipboardClearSeconds: 2 });
    await reload(page);
    await waitForText(page, 'FIREFOX_KEY');

    // Enter copies the highlighted secret; the background page writes it and schedules the clear.
    await (await control(page, 'Search')).focus();
    await page.keyboard.press('Enter');
    await waitForText(page, 'clears in 2 s');
    expect(await pasted(page)).toBe('ff-secret-value');
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await pasted(page)).trim()).toBe('');

    // Something the user copied since is left alone: the background page reads the clipboard first.
    await sendFromPage(page, 'clipboard.copy', { text: 'keysmith-wrote-this' });
    await inSearchBox(page, 'my own clipboard text', ['a', 'c']);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await pasted(page)).toBe('my own clipboard text');

    // Lock clears a secret still there.
    await sendFromPage(page, 'vault.updateSettings', { clipboardClearSeconds: 3600 });
    const [secret] = await sendFromPage<{ id: string }[]>(page, 'vault.listSecrets', await firstEnv(page));
    await sendFromPage(page, 'clipboard.copy', { id: secret!.id });
    expect(await pasted(page)).toBe('ff-secret-value');
    await sendFromPage(page, 'vault.lock');
    await control(page, 'Unlock');
    await sendFromPage(page, 'vault.unlock', { masterPassword: MASTER });
    await reload(page);
    expect((await pasted(page)).trim()).toBe('');
  });

  it('keeps no vault key in the profile on disk: unlocked, locked, or after a crash', async () => {
    profile = mkdtempSync(join(tmpdir(), 'keysmith-firefox-'));
    browser = await launchFirefox(profile);
    const page = await openExtensionPage(browser, '/popup.html');
    await setUpVault(page);
    const { id: safeId } = await sendFromPage<{ id: string }>(page, 'vault.createSafe', { name: 'Billing' });
    const [made] = await sendFromPage<{ id: string }[]>(page, 'vault.create', {
      appId: safeId,
      envName: 'Production',
      keyValuePairs: { TOKEN: 'on-disk?' },
    });
    await sendFromPage(page, 'vault.revealSecret', { id: made!.id });

    const stored = await page.evaluate(readStoredKeys); // the popup shares the background's origin
    const keys = await deriveKeys(stored, MASTER);
    expect(keys.size).toBe(3);
    // The search works: stored ciphertext is found where Firefox keeps IndexedDB. Any of the wrapped
    // keys proves it. Looking for the vault key's alone failed once in six runs (not found in 30 s,
    // though the database file was written); the cause is not established. Firefox compresses each
    // record (snappy), which could split one short run of bytes.
    const sample = new Map([
      ['wrapped vault key', Buffer.from(stored.account.wrappedVaultKey.data)],
      ...stored.safes.map((s, i): [string, Buffer] => [`wrapped safe key ${i}`, Buffer.from(s.wrappedKey.data)]),
    ]);
    const deadline = Date.now() + 30_000;
    while (findKeys(profile, sample).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(findKeys(profile, sample), `not found; the profile's IndexedDB files: ${idbFiles(profile)}`).not.toEqual([]);
    expect(findKeys(profile, keys), 'while unlocked').toEqual([]);
    await sendFromPage(page, 'vault.lock');
    expect(findKeys(profile, keys), 'after lock').toEqual([]);
    await sendFromPage(page, 'vault.unlock', { masterPassword: MASTER });
    await sendFromPage(page, 'vault.revealSecret', { id: made!.id });
    browser.process()?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    expect(findKeys(profile, keys), 'after Firefox was killed').toEqual([]);
  });
});

async function firstEnv(page: Page): Promise<{ safeId: string; envId: string }> {
  const safes = await sendFromPage<{ id: string; environments: { id: string; name: string }[] }[]>(page, 'vault.listSafes');
  const safe = safes[0]!;
  return { safeId: safe.id, envId: safe.environments.find((e) => e.name === 'Development')!.id };
}

/** Where Firefox keeps IndexedDB in a profile, with sizes: what the key search read when it found nothing. */
function idbFiles(profile: string): string {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.includes('/idb/')) found.push(`${path.slice(profile.length)} (${statSync(path).size} B)`);
    }
  };
  walk(join(profile, 'storage'));
  return found.join(', ') || 'none';
}
