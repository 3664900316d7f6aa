// Every extension page opens in Firefox without an error or warning in the browser's console: a new user
// with the Browser Console open, and an add-on reviewer, sees none. Firefox reports CSP problems and
// uncaught errors of extension pages to its console service, not to WebDriver's log, so the test reads
// that service from the browser window (tests/firefox/browser-ui.ts, ESR 153+).
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inBrowserWindow } from './browser-ui';
import { EXTENSION_ORIGIN, launchFirefox, openExtensionPage, waitUntil } from './firefox';

/** Errors and warnings the console service holds that came from the extension's pages. */
async function extensionProblems(browser: Browser, page: import('puppeteer-core').Page, origin: string): Promise<string[]> {
  return inBrowserWindow(
    browser,
    page,
    (origin: string) => {
      type ScriptError = { errorMessage: string; sourceName: string; flags: number };
      const { Services, Ci } = globalThis as unknown as {
        Services: { console: { getMessageArray(): unknown[] } };
        Ci: { nsIScriptError: unknown };
      };
      const problems: string[] = [];
      for (const message of Services.console.getMessageArray()) {
        // `instanceof` an XPCOM interface also exposes its fields (QueryInterface): errors and warnings only.
        if (!(message instanceof (Ci.nsIScriptError as never))) continue;
        const { errorMessage, sourceName, flags } = message as ScriptError;
        if (!sourceName.startsWith(origin) && !errorMessage.includes(origin)) continue;
        if (flags & 0x4) continue; // infoFlag: neither an error nor a warning
        problems.push(`${flags & 0x1 ? 'warning' : 'error'}: ${errorMessage} (${sourceName})`);
      }
      return problems;
    },
    origin,
  );
}

describe('Keysmith pages in Firefox', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchFirefox();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('popup, options and the right-click window log no error or warning', async () => {
    const popup = await openExtensionPage(browser, '/popup.html');
    await openExtensionPage(browser, '/options.html', 'Keysmith settings');
    const selection = await browser.newPage();
    await selection.goto(`${EXTENSION_ORIGIN}/selection.html#no-such-job`, { timeout: 3_000 }).catch(() => undefined);
    await waitUntil(selection, () => document.querySelector('[role=alert], h1, h2') !== null, { timeout: 20_000 });
    // Messages from start-up arrive after the first paint.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await extensionProblems(browser, popup, EXTENSION_ORIGIN)).toEqual([]);
  });

  it('reads the console service at all: a page error is reported', async () => {
    // The check above must be able to fail: an uncaught error thrown in an extension page is seen.
    const page = await openExtensionPage(browser, '/popup.html');
    await page.evaluate(() =>
      setTimeout(() => {
        throw new Error('keysmith-console-probe');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await extensionProblems(browser, page, EXTENSION_ORIGIN)).join('\n')).toMatch(/keysmith-console-probe/);
  });
});
