import type { BrowserContext, Page } from '@playwright/test';
import { VaultPage } from './vault';

/** Chromium's launch flags the in-page tests need (see openPopupOn). */
export const IN_PAGE_ARGS = ['--enable-unsafe-extension-debugging'];

type Send = (method: string, params?: object) => Promise<Record<string, unknown>>;

/**
 * Clicks Keysmith's toolbar button on `tab` the way the browser does it (DevTools'
 * Extensions.triggerAction, which needs IN_PAGE_ARGS): Chromium grants activeTab on that tab, as for
 * a person's click, and opens its popup. Playwright cannot reach that popup's document, so the same
 * popup page is opened beside it in a popup window, where the tab it acts on is still `tab`: the
 * active tab of the last focused browser window.
 */
export async function openPopupOn(context: BrowserContext, extensionId: string, tab: Page, grant = true): Promise<VaultPage> {
  await tab.bringToFront();
  if (grant) await clickToolbarButton(context, extensionId, tab);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const [popup] = await Promise.all([
    context.waitForEvent('page', (p) => p.url().endsWith('/popup.html')),
    worker.evaluate(
      () =>
        void (globalThis as unknown as { chrome: { windows: { create(o: object): Promise<unknown> } } }).chrome.windows.create({
          url: 'popup.html',
          type: 'popup',
          focused: true,
        }),
    ),
  ]);
  return new VaultPage(popup);
}

export async function clickToolbarButton(context: BrowserContext, extensionId: string, tab: Page): Promise<void> {
  const session = await context.browser()!.newBrowserCDPSession();
  const send = session.send.bind(session) as unknown as Send;
  try {
    const { targetInfos } = (await send('Target.getTargets', { filter: [{ type: 'tab' }] })) as {
      targetInfos: { targetId: string; url: string }[];
    };
    const target = targetInfos.filter((t) => t.url === tab.url()).at(-1);
    if (!target) throw new Error(`no tab target for ${tab.url()}`);
    await send('Extensions.triggerAction', { id: extensionId, targetId: target.targetId });
  } finally {
    await session.detach();
  }
}

export type MenuItem = 'keysmith-encrypt' | 'keysmith-decrypt' | 'keysmith-insert';

/**
 * A right-click menu choice on `tab`, in the frame whose URL is `frameUrl` (default: the top frame).
 * Playwright cannot click the browser's context menu, so the test gives the listener the browser
 * calls (contextMenus.onClicked) the same `info` and `tab` the browser would; the toolbar click first
 * grants the activeTab a real menu click grants. Returns Keysmith's window that opens.
 */
export async function chooseMenuItem(
  context: BrowserContext,
  extensionId: string,
  tab: Page,
  menuItemId: MenuItem,
  info: { selectionText?: string; editable: boolean; frameUrl?: string },
): Promise<Page> {
  await clickToolbarButton(context, extensionId, tab);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const [window] = await Promise.all([
    context.waitForEvent('page', (p) => p.url().includes('/selection.html#')),
    worker.evaluate(
      async ({ menuItemId, pageUrl, info }) => {
        type Chrome = {
          tabs: { query(q: object): Promise<{ id: number; url?: string }[]> };
          scripting: { executeScript(i: object): Promise<{ frameId: number; result: string }[]> };
          contextMenus: { onClicked: { dispatch(info: object, tab: object): void } };
        };
        const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
        const tab = (await chrome.tabs.query({})).find((t) => t.url === pageUrl)!;
        const frames = await chrome.scripting.executeScript({ target: { tabId: tab.id, allFrames: true }, func: () => location.href });
        const frameUrl = info.frameUrl ?? pageUrl;
        const frameId = frames.find((f) => f.result === frameUrl)!.frameId;
        chrome.contextMenus.onClicked.dispatch({ menuItemId, frameId, pageUrl, frameUrl, ...info }, tab);
      },
      { menuItemId, pageUrl: tab.url(), info },
    ),
  ]);
  return window;
}

/**
 * A keyboard shortcut on `tab`: like the menu, the test hands the listener the browser calls
 * (commands.onCommand) the real tab, after the toolbar click that grants what a shortcut grants.
 */
export async function pressShortcut(
  context: BrowserContext,
  extensionId: string,
  tab: Page,
  command: 'fill-best-match' | 'encrypt-selection',
  grant = true,
) {
  if (grant) await clickToolbarButton(context, extensionId, tab);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await worker.evaluate(
    async ({ command, pageUrl }) => {
      type Chrome = {
        tabs: { query(q: object): Promise<{ id: number; url?: string }[]> };
        commands: { onCommand: { dispatch(command: string, tab: object): void } };
      };
      const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
      const tab = (await chrome.tabs.query({})).find((t) => t.url === pageUrl)!;
      chrome.commands.onCommand.dispatch(command, tab);
    },
    { command, pageUrl: tab.url() },
  );
}
