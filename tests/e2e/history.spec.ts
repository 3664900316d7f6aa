import { expect, test } from './fixtures';
import { VaultPage } from './pages/vault';

const MASTER = 'correct horse battery staple 42';

test('edit a secret twice, open its history, reveal and restore the first value', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret({ key: 'STRIPE_KEY', value: 'sk_first' });

  await vault.option('STRIPE_KEY').click();
  for (const value of ['sk_second', 'sk_third']) {
    await vault.button('Edit').click();
    await vault.field('Value').fill(value);
    await vault.button('Save').click();
    await expect(vault.button('Edit')).toBeVisible();
  }

  await vault.button('Show history').click();
  const history = vault.root.getByRole('region', { name: 'History of STRIPE_KEY' });
  await expect(history.getByText(/^Current: version 3 · .+ · on Chrom(e|ium) on Linux$/)).toBeVisible();
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByRole('listitem').first()).toContainText('Version 2');
  // Values stay hidden until revealed, one version at a time.
  await expect(history).not.toContainText('sk_first');
  await history.getByRole('button', { name: 'Reveal version 1' }).click();
  await expect(history.getByRole('status', { name: 'Value of version 1' })).toHaveText('sk_first');

  await history.getByRole('button', { name: 'Restore version 1' }).click();
  await expect(vault.root.getByRole('status').filter({ hasText: 'Version 1 restored' })).toBeVisible();
  // A new version: the one it replaced (sk_third) heads the history, nothing was rewritten.
  await expect(history.getByText(/^Current: version 4 /)).toBeVisible();
  await expect(history.getByRole('listitem')).toHaveCount(3);
  await history.getByRole('button', { name: 'Reveal version 3' }).click();
  await expect(history.getByRole('status', { name: 'Value of version 3' })).toHaveText('sk_third');
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('sk_first');
});

test('a deleted secret comes back from Recently deleted, with its history', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await vault.addSecret({ key: 'DB_PASSWORD', value: 'hunter2', path: '/db' });
  await vault.option('DB_PASSWORD').click();
  await vault.button('Edit').click();
  await vault.field('Value').fill('hunter3');
  await vault.button('Save').click();
  await vault.button('Delete').click();
  await vault.button('Delete secret').click();
  await expect.poll(() => vault.optionNames()).toEqual([]);

  await vault.button('Recently deleted').click();
  const trash = vault.root.getByRole('region', { name: 'Recently deleted' });
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  await expect(trash.getByRole('listitem')).toContainText('DB_PASSWORD Personal · Development · /db');
  await trash.getByRole('button', { name: 'Bring back DB_PASSWORD' }).click();
  await expect(vault.root.getByText('DB_PASSWORD is back in Personal · Development.')).toBeVisible();
  await expect.poll(() => vault.optionNames()).toEqual(['DB_PASSWORD']);

  await vault.option('DB_PASSWORD').click();
  await vault.button('Reveal').click();
  await expect(vault.field('Value')).toHaveText('hunter3');
  await vault.button('Show history').click();
  const history = vault.root.getByRole('region', { name: 'History of DB_PASSWORD' });
  await history.getByRole('button', { name: 'Reveal version 1' }).click();
  await expect(history.getByRole('status', { name: 'Value of version 1' })).toHaveText('hunter2');

  // Gone from Recently deleted once it is back.
  await vault.button('Back to the list').click();
  await vault.button('Recently deleted').click();
  await expect(trash.getByText('Nothing deleted in the last 30 days.')).toBeVisible();
});

test('a secret deleted forever leaves Recently deleted after a confirmation, and the other one stays', async ({ context, extensionId }) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  for (const key of ['OLD_TOKEN', 'KEEP_ME']) {
    await vault.addSecret({ key, value: `${key.toLowerCase()}-value` });
    await vault.option(key).click();
    await vault.button('Delete').click();
    await vault.button('Delete secret').click();
    await expect.poll(() => vault.optionNames()).not.toContain(key);
  }

  await vault.button('Recently deleted').click();
  const trash = vault.root.getByRole('region', { name: 'Recently deleted' });
  await expect(trash.getByRole('listitem')).toHaveCount(2);
  // Asked first; Cancel changes nothing.
  await trash.getByRole('button', { name: 'Delete OLD_TOKEN forever' }).click();
  const ask = vault.root.getByRole('alertdialog', { name: 'Delete OLD_TOKEN forever' });
  await expect(ask).toContainText('It can no longer be brought back, on any device');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(trash.getByRole('listitem')).toHaveCount(2);

  await trash.getByRole('button', { name: 'Delete OLD_TOKEN forever' }).click();
  await ask.getByRole('button', { name: 'Delete forever' }).click();
  await expect(trash.getByRole('status')).toHaveText('OLD_TOKEN was deleted forever.');
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  await expect(trash.getByRole('listitem')).toContainText('KEEP_ME');

  // Still so after the list is opened again; the other one still comes back.
  await vault.button('Back to the list').click();
  await vault.button('Recently deleted').click();
  await expect(trash.getByRole('listitem')).toHaveCount(1);
  await trash.getByRole('button', { name: 'Bring back KEEP_ME' }).click();
  await expect.poll(() => vault.optionNames()).toEqual(['KEEP_ME']);
});
