// Launches Firefox ESR with the built extension as a temporary add-on, and drives its pages.
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { firefoxPath } from '../../scripts/chromium.mjs';

export const FIREFOX_EXTENSION_DIR = resolve('.output/firefox-mv3');
const GECKO_ID = 'keysmith@keysmith.dev';
/** A fixed moz-extension:// host, so tests know the extension's pages' URLs. */
export const EXTENSION_UUID = '6f1f8b0a-3c7e-4d59-9b8e-2a4c5d6e7f80';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export async function launchFirefox(userDataDir?: string): Promise<Browser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // Firefox 153 refuses WebDriver navigation to moz-extension:// pages without this.
    args: ['--remote-allow-system-access'],
    ...(userDataDir ? { userDataDir } : {}),
    extraPrefsFirefox: { 'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }) },
  });
  await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return browser;
}

/**
 * Opens one of the extension's pages. The navigation's load event may never reach WebDriver for a
 * moz-extension:// page, so the wait is for the page's own content instead.
 */
export async function openExtensionPage(browser: Browser, path: string, heading = 'Keysmith'): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${EXTENSION_ORIGIN}${path}`, { timeout: 3_000 }).catch((error: Error) => {
    if (!/timeout/i.test(error.message)) throw error;
  });
  await page.waitForFunction((heading) => [...document.querySelectorAll('h1,h2')].some((h) => h.textContent?.trim() === heading), { timeout: 20_000, polling: 100 }, heading);
  return page;
}

/** One lib/messages/protocol.ts request from an extension page, in @webext-core/messaging's wire format. */
export async function sendFromPage<T = unknown>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = await page.evaluate(
    (type, data) =>
      (globalThis as unknown as { browser: { runtime: { sendMessage(m: unknown): Promise<{ res: { ok: boolean; value?: unknown; error?: unknown } }> } } })
        .browser.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() }),
    type,
    data as never,
  );
  if (!reply.res.ok) throw new Error(`${type} failed: ${JSON.stringify(reply.res.error)}`);
  return reply.res.value as T;
}

/**
 * The visible control whose label, or button whose accessible name, is exactly `name`: found the
 * way a person reads the page (puppeteer's ARIA selectors do not reach inputs over Firefox's BiDi).
 */
export async function control(page: Page, name: string, timeout = 20_000) {
  const handle = await page.waitForFunction(
    (name) => {
      const visible = (el: Element | null) => el instanceof HTMLElement && el.offsetParent !== null;
      for (const label of document.querySelectorAll('label')) {
        const target = label.htmlFor ? document.getElementById(label.htmlFor) : label.querySelector('input,select,textarea');
        if (label.textContent?.trim() === name && visible(target)) return target;
      }
      for (const el of document.querySelectorAll('button, input[aria-label], [role="option"]')) {
        const accessible = el.getAttribute('aria-label') ?? el.textContent?.trim();
        if (accessible === name && visible(el)) return el;
      }
      return null;
    },
    { timeout, polling: 100 },
    name,
  );
  return handle.asElement() as import('puppeteer-core').ElementHandle<HTMLElement>;
}

/** Waits until the page shows `text` somewhere. */
export async function waitForText(page: Page, text: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction((text) => document.body.innerText.includes(text), { timeout, polling: 100 }, text);
}
