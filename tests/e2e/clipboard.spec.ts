import { expect, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';

test('a copied secret is cleared from the clipboard after the configured delay', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup('correct horse battery staple 42');
  await vault.addSecret({ key: 'SHORT_LIVED', value: 'clear-me-soon' });
  await sendFromPage(vault.page, 'vault.updateSettings', { clipboardClearSeconds: 2 });

  const search = vault.page.getByRole('searchbox', { name: 'Search' });
  await search.press('Enter');
  await expect(vault.root.getByRole('status').filter({ hasText: 'clears in 2 s' })).toBeVisible();
  await search.press('ControlOrMeta+V');
  await expect(search).toHaveValue('clear-me-soon');

  // After the delay the offscreen document has overwritten it: pasting no longer yields the secret.
  await search.fill('');
  await vault.page.waitForTimeout(3_000);
  await search.press('ControlOrMeta+V');
  await expect(search).not.toHaveValue(/clear-me-soon/);
  expect((await search.inputValue()).trim()).toBe('');
});

/** What a paste into the page's search box yields: the clipboard as the user would see it. */
async function pasted(vault: VaultPage): Promise<string> {
  const search = vault.page.getByRole('searchbox', { name: 'Search' });
  await search.fill('');
  await search.press('ControlOrMeta+V');
  return search.inputValue();
}

test('the clear happens even when the popup closed right after Copy', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup('correct horse battery staple 42');
  await vault.addSecret({ key: 'CLOSE_FAST', value: 'closed-popup-secret' });
  await sendFromPage(vault.page, 'vault.updateSettings', { clipboardClearSeconds: 2 });
  await vault.page.getByRole('searchbox', { name: 'Search' }).press('Enter');
  await vault.page.close(); // nothing left in any page to ask for the clear

  const later = await VaultPage.open(await context.newPage(), extensionId);
  await later.expectUnlocked();
  expect(await pasted(later)).toBe('closed-popup-secret'); // still there: this is the real clipboard
  await later.page.waitForTimeout(2_500);
  expect((await pasted(later)).trim()).toBe('');
});

test('what the user copied after Keysmith is left alone; lock clears a secret that is still there', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup('correct horse battery staple 42');
  await vault.addSecret({ key: 'MINE_LATER', value: 'keysmith-wrote-this' });
  await sendFromPage(vault.page, 'vault.updateSettings', { clipboardClearSeconds: 2 });
  const search = vault.page.getByRole('searchbox', { name: 'Search' });
  // The copy goes through the background: paste only once the popup says it is done.
  const copied = (seconds: number) => expect(vault.root.getByRole('status').filter({ hasText: `clears in ${seconds} s` })).toBeVisible();

  await search.press('Enter');
  await copied(2);
  expect(await pasted(vault)).toBe('keysmith-wrote-this');
  // The user copies something of their own before the delay runs out.
  await search.fill('my own clipboard text');
  await search.selectText();
  await search.press('ControlOrMeta+C');
  await vault.page.waitForTimeout(2_500);
  expect(await pasted(vault)).toBe('my own clipboard text');

  // Clearing only on a long delay: the lock takes it away at once.
  await sendFromPage(vault.page, 'vault.updateSettings', { clipboardClearSeconds: 3600 });
  await search.fill('');
  await search.press('Enter');
  await copied(3600);
  expect(await pasted(vault)).toBe('keysmith-wrote-this');
  await vault.page.getByRole('button', { name: 'Lock' }).click();
  await vault.unlock('correct horse battery staple 42');
  await vault.expectUnlocked();
  expect((await pasted(vault)).trim()).toBe('');
});
