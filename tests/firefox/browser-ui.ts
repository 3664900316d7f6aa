// Firefox's own user interface, used the way a person uses it: a web page's right-click menu, and
// Keysmith's toolbar button with the popup it opens.
//
// Why this exists: WebDriver has no command that chooses an extension's menu item or clicks its
// toolbar button, and Keysmith acts in a page only on the gesture the browser itself reports
// (menus.onClicked, and the activeTab grant that comes with it or with the toolbar click). So the
// test opens and chooses them in the browser window's own privileged ("chrome") document, which
// Firefox lets WebDriver BiDi script when it runs with --remote-allow-system-access:
// browsingContext.getTree {"moz:scope": "chrome"} names that document (ESR 153 has it, ESR 140 does
// not), and script.callFunction runs code in it. From there the clicks go through
// Firefox's own code for a click (the menu's activateItem, mouse events from the same helper WebDriver
// uses for its own clicks), so Firefox grants activeTab and fires the extension's event itself.
//
// The popup's document is not a WebDriver browsing context (only tabs are), so it is read and clicked
// through a frame script that Firefox loads into the popup's <browser>, again from the chrome document.
import type { Browser, Page } from 'puppeteer-core';
import { findControl, GECKO_ID } from './firefox';

interface BidiConnection {
  send(method: string, params: object): Promise<{ result: unknown }>;
}
interface ContextInfo {
  context: string;
  url: string;
  clientWindow: string;
  'moz:scope'?: 'chrome' | 'content';
}
type CallResult = { type: 'success'; result: { type: string; value?: string } } | { type: 'exception'; exceptionDetails: { text: string } };

/** puppeteer-core's connection to Firefox's WebDriver BiDi, for the commands puppeteer has no API for. */
function bidi(browser: Browser): BidiConnection {
  return (browser as unknown as { connection: BidiConnection }).connection;
}

/** The browser window (chrome document) that holds `page`'s tab. */
async function windowOf(browser: Browser, page: Page): Promise<string> {
  const connection = bidi(browser);
  const tabs = (await connection.send('browsingContext.getTree', { maxDepth: 0 })).result as { contexts: ContextInfo[] };
  const frameId = (page.mainFrame() as unknown as { _id: string })._id;
  const tab = tabs.contexts.find((c) => c.context === frameId);
  if (!tab) throw new Error(`no tab for ${page.url()}`);
  // Firefox ESR 140 ignores "moz:scope" and answers with the tabs again.
  const windows = (
    (await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 })).result as { contexts: ContextInfo[] }
  ).contexts;
  if (!windows.some((c) => c['moz:scope'] === 'chrome')) {
    throw new Error(
      'This Firefox\'s WebDriver BiDi cannot reach the browser window ("moz:scope": "chrome"); Firefox ESR 153 can (set FIREFOX_PATH).',
    );
  }
  const window = windows.find((c) => c['moz:scope'] === 'chrome' && c.clientWindow === tab.clientWindow);
  if (!window) throw new Error(`no browser window for ${page.url()}`);
  return window.context;
}

/**
 * Runs `fn` in the browser window that holds `page`, with that window's `window` and `document`
 * (chrome://browser/content/browser.xhtml) as globals. Arguments and result travel as JSON.
 */
export async function inBrowserWindow<A extends unknown[], R>(
  browser: Browser,
  page: Page,
  fn: (...args: A) => R | Promise<R>,
  ...args: A
): Promise<R> {
  const context = await windowOf(browser, page);
  const answer = (
    await bidi(browser).send('script.callFunction', {
      functionDeclaration: `async (json) => JSON.stringify(await (${fn.toString()})(...JSON.parse(json)) ?? null)`,
      arguments: [{ type: 'string', value: JSON.stringify(args) }],
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    })
  ).result as CallResult;
  if (answer.type === 'exception') throw new Error(answer.exceptionDetails.text);
  return JSON.parse(answer.result.value ?? 'null') as R;
}

/**
 * Right-clicks `point` (CSS pixels in `page`'s viewport) with WebDriver's own mouse, which makes
 * Firefox open its real context menu there, then chooses the item reached by `path` (labels as the
 * menu shows them, submenu first). Fails, naming what the menu offers, when an item is not there.
 */
export async function chooseFromContextMenu(browser: Browser, page: Page, point: { x: number; y: number }, path: string[]): Promise<void> {
  await page.mouse.click(point.x, point.y, { button: 'right' });
  await inBrowserWindow(
    browser,
    page,
    async (path: string[]) => {
      const doc = (globalThis as unknown as { document: Document }).document;
      type Menu = Element & {
        state: string;
        label: string;
        hidden: boolean;
        disabled: boolean;
        menupopup: Menu;
        openMenu(open: boolean): void;
        hidePopup(): void;
        activateItem(item: Element): void;
      };
      const menu = doc.getElementById('contentAreaContextMenu') as unknown as Menu;
      const until = async (ok: () => boolean, what: string) => {
        for (let i = 0; !ok(); i++) {
          if (i > 100) throw new Error(`the menu never ${what}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const once = (el: Element, type: string) => new Promise((resolve) => el.addEventListener(type, resolve, { once: true }));
      await until(() => menu.state === 'open', 'opened');
      let popup: Menu = menu;
      for (const [i, label] of path.entries()) {
        const items = [...popup.children].filter(
          (e): e is Menu => (e.localName === 'menu' || e.localName === 'menuitem') && !(e as Menu).hidden,
        );
        const item = items.find((e) => e.label === label && !e.disabled);
        if (!item) {
          const offered = items.map((e) => e.label).join(' | ');
          menu.hidePopup();
          throw new Error(`"${label}" is not in the menu, which offers: ${offered}`);
        }
        if (i < path.length - 1) {
          const shown = once(item.menupopup, 'popupshown');
          item.openMenu(true);
          await shown;
          popup = item.menupopup;
        } else {
          const hidden = once(menu, 'popuphidden');
          popup.activateItem(item);
          await hidden;
        }
      }
    },
    path,
  );
}

/** Does `action`, and returns the page at `path` that it opened (in a window of its own), once loaded. */
export async function windowOpenedBy(browser: Browser, path: string, action: () => Promise<void>): Promise<Page> {
  const before = await browser.pages();
  await action();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    for (const page of await browser.pages()) {
      if (before.includes(page)) continue;
      // puppeteer does not follow the address of a moz-extension:// page: ask the page itself.
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href.includes(path) && (await page.evaluate(() => document.readyState === 'complete').catch(() => false))) return page;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no window with ${path} opened`);
}

/** Keysmith's popup, opened from its toolbar button: read and clicked by accessible name. */
export interface ToolbarPopup {
  /** The popup's text as a person reads it. */
  text(): Promise<string>;
  /** Waits until the popup shows `text`. */
  waitForText(text: string, timeout?: number): Promise<void>;
  /** Whether the popup shows a control named `name` (firefox.ts's findControl). */
  has(name: string): Promise<boolean>;
  /** Clicks the visible button whose accessible name is `name`, with mouse events at its centre. */
  click(name: string): Promise<void>;
  /** Closes the popup (as the page's own `window.close()` does), so that the toolbar button opens it again. */
  close(): Promise<void>;
}

/**
 * Clicks Keysmith's toolbar button in the window of `page` (whose tab is brought to the front
 * first), opening the Extensions panel first when the button lives there, as it does until the
 * user pins it. Firefox grants activeTab on the tab and opens the popup, which is returned once it
 * shows the control named `ready`.
 */
export async function clickToolbarButton(browser: Browser, page: Page, ready = 'Search'): Promise<ToolbarPopup> {
  await page.bringToFront();
  await inBrowserWindow(
    browser,
    page,
    async (geckoId: string) => {
      type Globals = { window: Window; document: Document; ChromeUtils: { importESModule(url: string): Record<string, unknown> } };
      const { window, document, ChromeUtils } = globalThis as unknown as Globals;
      type Popup = Element & { state: string };
      // The mouse events WebDriver's own element click sends (mousedown, mouseup at the centre).
      const { event } = ChromeUtils.importESModule('chrome://remote/content/shared/webdriver/Event.sys.mjs') as {
        event: { synthesizeMouseAtPoint(x: number, y: number, opts: object, win: Window): unknown };
      };
      const click = async (el: Element) => {
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) throw new Error(`${el.id || el.localName} is not shown`);
        await event.synthesizeMouseAtPoint(r.left + r.width / 2, r.top + r.height / 2, {}, window);
      };
      const until = async (ok: () => boolean, what: string) => {
        for (let i = 0; !ok(); i++) {
          if (i > 200) throw new Error(what);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const widgetId = `${geckoId.toLowerCase().replace(/[^a-z0-9_-]/g, '_')}-browser-action`;
      const { CustomizableUI } = globalThis as unknown as {
        CustomizableUI: {
          TYPE_PANEL: string;
          getWidget(id: string): { areaType: string | null; forWindow(w: Window): { node: Element | null } } | null;
        };
      };
      const widget = CustomizableUI.getWidget(widgetId);
      if (!widget?.areaType) throw new Error(`no toolbar button ${widgetId}`);
      // Until the user pins it, the button lives in the Extensions panel: open that first.
      const panel = document.getElementById('unified-extensions-panel') as Popup | null;
      if (widget.areaType === CustomizableUI.TYPE_PANEL && panel?.state !== 'open') {
        await click(document.getElementById('unified-extensions-button')!);
        // The panel is built on its first opening: look it up again.
        await until(
          () => (document.getElementById('unified-extensions-panel') as Popup | null)?.state === 'open',
          'the Extensions panel never opened',
        );
      }
      const node = widget.forWindow(window).node;
      if (!node) throw new Error(`no toolbar button ${widgetId} in this window`);
      await click(node.querySelector('.unified-extensions-item-action-button') ?? node);
      await until(() => document.querySelector('browser[webextension-view-type="popup"]') !== null, 'no popup opened');
    },
    GECKO_ID,
  );
  const popup = toolbarPopup(browser, page);
  const deadline = Date.now() + 20_000;
  let failure: unknown;
  while (!(await popup.has(ready).catch((error: unknown) => void (failure = error)))) {
    if (Date.now() > deadline)
      throw new Error(`the popup never showed "${ready}"; it says: ${await popup.text().catch(() => '(nothing)')}`, { cause: failure });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return popup;
}

/**
 * Runs `fn` in the open popup's document through a frame script (data: URL) that Firefox loads in
 * the popup's <browser>: `fn` gets the popup's window and firefox.ts's findControl for its document
 * (passed in: the test runner rewrites what a function imports); its result comes back as a message.
 */
function inPopup<A extends unknown[], R>(
  browser: Browser,
  page: Page,
  fn: (content: Window, find: (name: string) => HTMLElement | null, ...args: A) => R | Promise<R>,
  ...args: A
): Promise<R> {
  return inBrowserWindow(
    browser,
    page,
    async (source: string, args: unknown[], find: string) => {
      type MessageManager = {
        loadFrameScript(url: string, delayed: boolean): void;
        addMessageListener(name: string, listener: (m: { data: { ok: boolean; value?: unknown; error?: string } }) => void): void;
        removeMessageListener(name: string, listener: unknown): void;
      };
      type PopupBrowser = Element & { messageManager: MessageManager | null; currentURI: { spec: string } | null };
      const { document } = globalThis as unknown as { document: Document };
      // The popup's <browser> loads about:blank first, and Firefox may swap in another one: wait for
      // the one that shows the popup's page.
      const shown = () =>
        [...document.querySelectorAll('browser[webextension-view-type="popup"]')].find(
          (b): b is PopupBrowser =>
            (b as PopupBrowser).currentURI?.spec.endsWith('/popup.html') === true && (b as PopupBrowser).messageManager !== null,
        );
      for (let i = 0; !shown(); i++) {
        if (i > 100) throw new Error('no popup is open');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const mm = shown()!.messageManager!;
      const reply = `keysmith-test:${Math.random().toString(36).slice(2)}`;
      const answer = new Promise<{ ok: boolean; value?: unknown; error?: string }>((resolve, reject) => {
        const listener = (m: { data: { ok: boolean; value?: unknown; error?: string } }) => {
          mm.removeMessageListener(reply, listener);
          resolve(m.data);
        };
        mm.addMessageListener(reply, listener);
        setTimeout(() => reject(new Error('the popup did not answer')), 5_000);
      });
      const script = `const findControl = ${find}; (async () => { try { sendAsyncMessage(${JSON.stringify(reply)}, { ok: true, value: await (${source})(content, (name) => findControl(name, undefined, content.document), ...${JSON.stringify(args).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}) }); } catch (e) { sendAsyncMessage(${JSON.stringify(reply)}, { ok: false, error: String(e) }); } })();`;
      mm.loadFrameScript(`data:,${encodeURIComponent(script)}`, false);
      const { ok, value, error } = await answer;
      if (!ok) throw new Error(error);
      return value;
    },
    fn.toString(),
    args,
    findControl.toString(),
  ) as Promise<R>;
}

function toolbarPopup(browser: Browser, page: Page): ToolbarPopup {
  const text = () => inPopup(browser, page, (content) => content.document.body?.innerText ?? '');
  return {
    text,
    async waitForText(wanted, timeout = 20_000) {
      const deadline = Date.now() + timeout;
      let shown = '';
      while (Date.now() < deadline) {
        shown = await text().catch(() => '');
        if (shown.includes(wanted)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`"${wanted}" never showed in the popup; it says: ${shown.replace(/\s+/g, ' ').slice(0, 600)}`);
    },
    has: (name) => inPopup(browser, page, (_content, find, name: string) => find(name) !== null, name),
    async close() {
      await inPopup(browser, page, (content) => void content.setTimeout(() => content.close(), 0)).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    async click(name) {
      const clicked = await inPopup(
        browser,
        page,
        async (content, find, name: string) => {
          const el = find(name);
          if (!el) return false;
          el.scrollIntoView({ block: 'center' });
          const r = el.getBoundingClientRect();
          // The mouse events WebDriver's own element click sends, here in the popup's document.
          const { ChromeUtils } = globalThis as unknown as { ChromeUtils: { importESModule(url: string): Record<string, unknown> } };
          const { event } = ChromeUtils.importESModule('chrome://remote/content/shared/webdriver/Event.sys.mjs') as {
            event: { synthesizeMouseAtPoint(x: number, y: number, opts: object, win: Window): unknown };
          };
          await event.synthesizeMouseAtPoint(r.left + r.width / 2, r.top + r.height / 2, {}, content);
          return true;
        },
        name,
      );
      if (!clicked) throw new Error(`no "${name}" in the popup; it says: ${(await text()).replace(/\s+/g, ' ').slice(0, 600)}`);
    },
  };
}
