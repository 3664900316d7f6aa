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
    worker.evaluate(() => void (globalThis as unknown as { chrome: { windows: { create(o: object): Promise<unknown> } } }).chrome.windows.create({ url: 'popup.html', type: 'popup', focused: true })),
  ]);
  return new VaultPage(popup);
}

export async function clickToolbarButton(context: BrowserContext, extensionId: string, tab: Page): Promise<void> {
  const session = await context.browser()!.newBrowserCDPSession();
  const send = session.send.bind(session) as unknown as Send;
  try {
    const { targetInfos } = (await send('Target.getTargets', { filter: [{ type: 'tab' }] })) as { targetInfos: { targetId: string; url: string }[] };
    const target = targetInfos.filter((t) => t.url === tab.url()).at(-1);
    if (!target) throw new Error(`no tab target for ${tab.url()}`);
    await send('Extensions.triggerAction', { id: extensionId, targetId: target.targetId });
  } finally {
    await session.detach();
  }
}
