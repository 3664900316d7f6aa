// A copy of the profile directory must never yield a key: not while unlocked, not after lock, not
// after the browser was killed. The keys are derived here from the master password and what is
// stored, independently of the extension, and every file of the profile is searched for them.
import { execFileSync } from 'node:child_process';
import { expect, launchWithExtension, test } from './fixtures';
import { deriveKeys, findKeys, readStoredKeys } from './keys-on-disk';
import { sendFromPage, VaultPage } from './pages/vault';

const MASTER = 'correct horse battery staple 42';

test('no key of the vault is ever in the profile on disk: unlocked, locked, or after a crash', async ({
  context,
  userDataDir,
  extensionId,
}) => {
  test.setTimeout(120_000);
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret({ key: 'STRIPE_KEY', value: 'sk_live_on_disk_test' });
  const { id: safeId } = await sendFromPage<{ id: string }>(vault.page, 'vault.createSafe', { name: 'Billing' });
  const [secret] = await sendFromPage<{ id: string }[]>(vault.page, 'vault.create', {
    appId: safeId,
    envName: 'Production',
    keyValuePairs: { INVOICE_TOKEN: 'inv-on-disk' },
  });
  expect(await sendFromPage(vault.page, 'vault.revealSecret', { id: secret!.id })).toMatchObject({ value: 'inv-on-disk' });

  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const stored = await worker.evaluate(readStoredKeys);
  const keys = await deriveKeys(stored, MASTER);
  expect(keys.size).toBe(3); // the vault key and two safe keys

  // The search works: the wrapped vault key, stored ciphertext, is found where IndexedDB keeps it.
  const sample = new Map([['wrapped vault key', Buffer.from(stored.account.wrappedVaultKey.data)]]);
  await expect.poll(() => findKeys(userDataDir, sample).length, { timeout: 20_000 }).toBeGreaterThan(0);

  expect(findKeys(userDataDir, keys), 'while unlocked').toEqual([]);

  await vault.page.getByRole('button', { name: 'Lock' }).click();
  await vault.page.getByLabel('Master password', { exact: true }).waitFor();
  expect(findKeys(userDataDir, keys), 'after lock').toEqual([]);

  // Unlocked again, then the browser dies without closing anything.
  await vault.unlock(MASTER);
  await vault.expectUnlocked();
  execFileSync('pkill', ['-KILL', '-f', `user-data-dir=${userDataDir}`]);
  await context.close().catch(() => undefined);
  expect(findKeys(userDataDir, keys), 'after the browser was killed').toEqual([]);

  // And the profile opens again, locked, with everything in it.
  const restarted = await launchWithExtension(userDataDir);
  try {
    const again = await VaultPage.open(await restarted.newPage(), extensionId);
    await again.unlock(MASTER);
    await again.expectUnlocked();
    await expect(again.option('STRIPE_KEY')).toBeVisible();
  } finally {
    await restarted.close();
  }
});
