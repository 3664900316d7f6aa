import { expect, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';

test('idle auto-lock fires even when the service worker was stopped meanwhile', async ({ context, extensionId }) => {
  test.setTimeout(150_000);
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup('correct horse battery staple 42');
  await sendFromPage(vault.page, 'vault.updateSettings', { autoLockMinutes: 1 });
  // The toolbar button says whether the vault is unlocked (its icon changes with its title).
  const toolbarTitle = () =>
    vault.page.evaluate(() =>
      (globalThis as unknown as { chrome: { action: { getTitle(d: object): Promise<string> } } }).chrome.action.getTitle({}),
    );
  await expect.poll(toolbarTitle).toBe('Keysmith (unlocked)');

  // Stop the worker, as Chrome does after ~30 s idle: the alarm must wake a fresh one that locks.
  const cdp = await context.newCDPSession(vault.page);
  await cdp.send('ServiceWorker.enable');
  const stopped = context
    .serviceWorkers()[0]!
    .evaluate(() => new Promise(() => {}))
    .catch(() => 'stopped');
  await cdp.send('ServiceWorker.stopAllWorkers');
  expect(await stopped).toBe('stopped');

  // Read the lock state from the page without messaging the worker (a message would wake it,
  // and its own deadline check would lock: this test is about the alarm alone).
  const session = () =>
    vault.page.evaluate(() =>
      (
        globalThis as unknown as { chrome: { storage: { session: { get(k: null): Promise<Record<string, unknown>> } } } }
      ).chrome.storage.session.get(null),
    );
  const hasSessionSecret = async () => 'keysmith-session-secret' in (await session());
  expect(await hasSessionSecret()).toBe(true);
  await expect.poll(hasSessionSecret, { timeout: 100_000, intervals: [5_000] }).toBe(false);
  // Nothing is left but the sync status the background publishes for pages (counts and words, no key).
  const { 'keysmith-sync-status': status, ...left } = await session();
  expect(left).toEqual({});
  expect(JSON.stringify(status ?? {})).not.toMatch(/secret|token|key/i);
  await expect.poll(toolbarTitle).toBe('Keysmith (locked)');

  await vault.page.reload();
  await expect(vault.button('Unlock')).toBeVisible();
});
