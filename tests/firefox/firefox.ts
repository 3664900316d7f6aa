// Launches Firefox ESR with the built extension as a temporary add-on, and drives its pages.
import { resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { firefoxPath } from '../../scripts/chromium.mjs';

export const FIREFOX_EXTENSION_DIR = resolve('.output/firefox-mv3');
export const GECKO_ID = 'keysmith@keysmith.dev';
/** A fixed moz-extension:// host, so tests know the extension's pages' URLs. */
export const EXTENSION_UUID = '6f1f8b0a-3c7e-4d59-9b8e-2a4c5d6e7f80';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;

export const MASTER = 'correct horse battery staple 42';

/**
 * Firefox with the built extension, in English unless `lang` names another language (Debian needs
 * that language's pack, such as firefox-esr-l10n-fr).
 */
export async function launchFirefox(userDataDir?: string, lang = 'en-US'): Promise<Browser> {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    // Firefox 153 refuses WebDriver navigation to moz-extension:// pages without this (140 accepts it too).
    args: ['--remote-allow-system-access'],
    ...(userDataDir ? { userDataDir } : {}),
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
      'intl.locale.requested': lang,
      // Debian installs language packs in the application's own scope; a fresh profile must not disable it.
      'extensions.autoDisableScopes': 0,
    },
  });
  await browser.installExtension(FIREFOX_EXTENSION_DIR);
  return browser;
}

/**
 * Polls `predicate` in the page (every 100 ms) until it returns something truthy, and returns that.
 * Puppeteer's own waitForFunction rebuilds the predicate with Function() inside the page, which the
 * extension's CSP forbids on Firefox 140; an evaluate call is WebDriver's, not the page's.
 */
export async function waitUntil<R>(
  page: Page,
  // Arguments arrive in the page as puppeteer passes them (an ElementHandle as its element).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  predicate: (...args: any[]) => R,
  options: { timeout?: number } = {},
  ...args: unknown[]
): Promise<import('puppeteer-core').JSHandle<Awaited<R>>> {
  const deadline = Date.now() + (options.timeout ?? 10_000);
  for (;;) {
    const handle = (await page.evaluateHandle(predicate as never, ...(args as never[]))) as import('puppeteer-core').JSHandle<Awaited<R>>;
    if (await handle.evaluate((value) => Boolean(value))) return handle;
    await handle.dispose();
    if (Date.now() > deadline) throw new Error(`Waiting failed: ${options.timeout ?? 10_000} ms exceeded`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
  await waitUntil(
    page,
    (heading) => [...document.querySelectorAll('h1,h2')].some((h) => h.textContent?.trim() === heading),
    { timeout: 20_000 },
    heading,
  );
  return page;
}

/** One lib/messages/protocol.ts request from an extension page, in @webext-core/messaging's wire format. */
export async function sendFromPage<T = unknown>(page: Page, type: string, data?: unknown): Promise<T> {
  const reply = await page.evaluate(
    (type, data) =>
      (
        globalThis as unknown as {
          browser: { runtime: { sendMessage(m: unknown): Promise<{ res: { ok: boolean; value?: unknown; error?: unknown } }> } };
        }
      ).browser.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() }),
    type,
    data as never,
  );
  if (!reply.res.ok) throw new Error(`${type} failed: ${JSON.stringify(reply.res.error)}`);
  return reply.res.value as T;
}

/**
 * The visible control whose label, or button whose accessible name, is exactly `name`, in `doc`:
 * found the way a person reads the page. `form` limits the search to the form of that accessible
 * name. It runs inside the page (serialised), so it uses nothing else from this module.
 */
export function findControl(name: string, form?: string, doc: Document = document): HTMLElement | null {
  const visible = (el: Element | null): el is HTMLElement => el !== null && (el as HTMLElement).offsetParent != null;
  const scope = form ? doc.querySelector(`form[aria-label="${form}"]`) : doc;
  if (!scope) return null;
  for (const label of scope.querySelectorAll('label')) {
    const control = label.htmlFor ? doc.getElementById(label.htmlFor) : label.querySelector('input,select,textarea');
    if (label.textContent?.trim() === name && visible(control)) return control;
  }
  for (const el of scope.querySelectorAll('button, input[aria-label], [role="option"]')) {
    const accessible = el.getAttribute('aria-label') ?? el.textContent?.trim();
    if (accessible === name && visible(el)) return el;
  }
  return null;
}

/**
 * Waits for findControl's control (puppeteer's ARIA selectors do not reach inputs over Firefox's BiDi).
 */
export async function control(page: Page, name: string, timeout = 20_000, form?: string) {
  const handle = await waitUntil(page, findControl, { timeout }, name, form);
  return handle.asElement() as import('puppeteer-core').ElementHandle<HTMLElement>;
}

/** Waits until the page shows `text` somewhere. */
export async function waitForText(page: Page, text: string, timeout = 20_000): Promise<void> {
  try {
    await waitUntil(page, (text) => document.body.innerText.includes(text), { timeout }, text);
  } catch (error) {
    const shown = await page.evaluate(() => document.body.innerText).catch(() => '(unreadable)');
    throw new Error(`"${text}" never showed; the page says: ${shown.replace(/\s+/g, ' ').slice(0, 600)}`, { cause: error });
  }
}

/** Sets a control's value the way typing would, so React sees it (`input`, or `change` for a select). */
export async function fill(page: Page, name: string, value: string, form?: string): Promise<void> {
  const el = await control(page, name, 20_000, form);
  await el.evaluate((el, value) => {
    const proto =
      el instanceof HTMLTextAreaElement
        ? HTMLTextAreaElement.prototype
        : el instanceof HTMLSelectElement
          ? HTMLSelectElement.prototype
          : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  }, value);
}

/** Chooses a file in a file input, as the file picker would. */
export async function chooseFile(page: Page, name: string, text: string, filename: string): Promise<void> {
  const el = await control(page, name);
  await el.evaluate(
    (input, text, filename) => {
      const files = new DataTransfer();
      files.items.add(new File([text], filename));
      (input as HTMLInputElement).files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    text,
    filename,
  );
}

/** The text a control's aria-describedby points at: its error or hint, as a screen reader reads it. */
export async function description(page: Page, name: string, form?: string): Promise<string> {
  const el = await control(page, name, 20_000, form);
  return el.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent?.trim() ?? '');
}

/** Waits until `name`'s description matches `pattern`. */
export async function waitForDescription(page: Page, name: string, pattern: RegExp, form?: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    last = await description(page, name, form);
    if (pattern.test(last)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`"${name}" is described as "${last}", not ${pattern}`);
}

/**
 * Records the files the page saves (a link with `download` on a blob URL) from now on; the page
 * still saves them. `saved()` returns each one's name and text.
 */
export async function recordSavedFiles(page: Page): Promise<{ saved(): Promise<{ name: string; text: string }[]> }> {
  await page.evaluate(() => {
    const record: { name: string; text: Promise<string> }[] = [];
    (globalThis as unknown as { __saved: typeof record }).__saved = record;
    // The page's CSP keeps fetch() away from blob: URLs, so keep each blob as it is made.
    const blobs = new Map<string, Blob>();
    const createObjectURL = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = createObjectURL(object);
      if (object instanceof Blob) blobs.set(url, object);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      const blob = blobs.get(this.href);
      if (this.download && blob) record.push({ name: this.download, text: blob.text() });
      return click.call(this);
    };
  });
  return {
    saved: () =>
      page.evaluate(() =>
        Promise.all(
          (globalThis as unknown as { __saved: { name: string; text: Promise<string> }[] }).__saved.map(async (f) => ({
            name: f.name,
            text: await f.text,
          })),
        ),
      ),
  };
}

/** First run in the popup: the master password typed twice; done when the vault's search shows. */
export async function setUpVault(page: Page, masterPassword = MASTER): Promise<void> {
  await (await control(page, 'Master password')).type(masterPassword);
  await (await control(page, 'Confirm master password')).type(masterPassword);
  await (await control(page, 'Create vault')).click();
  await control(page, 'Search', 30_000);
}

/** The load event of a moz-extension:// page may never reach WebDriver: wait for the content instead. */
export async function reload(page: Page, ready = 'Search'): Promise<void> {
  await page.reload({ timeout: 3_000 }).catch(() => undefined);
  await control(page, ready);
}
