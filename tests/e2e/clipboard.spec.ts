import { expect, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';

test('a copied secret is cleared from the clipboard after the configured delay', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup('correct horse battery staple 42');
  await vault.addSecret({ key: 'SHORT_LIVED', value: 'clear-me-soon' });
  await sendFromPage(vault.page, 'settings.update', { clipboardClearSeconds: 2 });

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
