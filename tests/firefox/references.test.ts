// References in real Firefox: resolved in its background (an event page), on copy, reveal and
// export, in the context of the secret holding each one; a missing one stops the copy with its name.
import type { Browser, Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { control, launchFirefox, openExtensionPage, reload, sendFromPage, setUpVault, waitForText } from './firefox';

let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
});

/** What a paste into the popup's search box yields: the clipboard as the user would see it. */
async function pasted(page: Page): Promise<string> {
  const search = await control(page, 'Search');
  await search.evaluate((el) => ((el as HTMLInputElement).value = ''));
  await search.focus();
  await page.keyboard.down('Control');
  await page.keyboard.press('v');
  await page.keyboard.up('Control');
  const value = await search.evaluate((el) => (el as HTMLInputElement).value);
  // Leave the search empty again, as typed (React sees it), so the list shows every secret.
  await page.keyboard.down('Control');
  await page.keyboard.press('a');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  return value;
}

const textOf = (page: Page, label: string) =>
  page.evaluate((label) => document.querySelector(`[aria-label="${label}"]`)?.textContent ?? null, label);

describe('references in Firefox', () => {
  it('copies, reveals and exports a value with its references resolved, and stops on a missing one', async () => {
    browser = await launchFirefox();
    const page = await openExtensionPage(browser, '/popup.html');
    await setUpVault(page);
    const dev = { appName: 'Personal', envName: 'Development' };
    await sendFromPage(page, 'vault.create', {
      appName: 'Personal',
      envName: 'Production',
      keyValuePairs: { HOST: 'prod.example', URL: 'https://${HOST}' },
    });
    await sendFromPage(page, 'vault.create', {
      ...dev,
      keyValuePairs: { HOST: 'dev.example', VIA_PROD: '${Production.URL}/api', BROKEN: '${NOPE}' },
    });
    await reload(page);
    await waitForText(page, 'VIA_PROD');

    const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(page, 'vault.search', { query: 'VIA_PROD' });
    await sendFromPage(page, 'clipboard.copy', { id: hits[0]!.id });
    // Production's URL names ${HOST}: Production's, never Development's.
    expect(await pasted(page)).toBe('https://prod.example/api');

    // Reveal: raw and resolved side by side.
    await (await control(page, 'VIA_PROD')).click();
    await (await control(page, 'Reveal')).click();
    await waitForText(page, 'https://prod.example/api');
    expect(await textOf(page, 'Value')).toBe('${Production.URL}/api');
    expect(await textOf(page, 'Resolved value')).toBe('https://prod.example/api');

    const broken = (await sendFromPage<{ hits: { id: string; key: string }[] }>(page, 'vault.search', { query: 'BROKEN' })).hits[0]!;
    await expect(sendFromPage(page, 'clipboard.copy', { id: broken.id })).rejects.toThrow(
      /BROKEN cannot be used: \$\{NOPE\} does not exist/,
    );
    await (await control(page, 'Back to the list')).click();
    expect(await pasted(page)).toBe('https://prod.example/api'); // the failed copy wrote nothing

    await expect(sendFromPage(page, 'vault.exportDotenv', { safeName: 'Personal', envName: 'Development' })).rejects.toThrow(/NOPE/);
    const kept = await sendFromPage<string>(page, 'vault.exportDotenv', {
      safeName: 'Personal',
      envName: 'Development',
      keepUnresolved: true,
    });
    expect(kept).toContain('VIA_PROD=https://prod.example/api');
    expect(kept).toContain("BROKEN='${NOPE}'");
  });
});
