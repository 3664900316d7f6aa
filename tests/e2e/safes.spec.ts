import { expect, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';

const MASTER = 'correct horse battery staple 42';

interface Safe {
  id: string;
  name: string;
  environments: { name: string; protected: boolean }[];
}

test('a safe is renamed, an environment protected later and deleted, and the safe deleted, each deletion naming what it removes', async ({
  context,
  extensionId,
}) => {
  const vault = await VaultPage.open(await context.newPage(), extensionId);
  await vault.setup(MASTER);
  await sendFromPage(vault.page, 'vault.createSafe', { name: 'Shop' });
  await sendFromPage(vault.page, 'vault.create', { safeName: 'Shop', envName: 'Development', keyValuePairs: { API: 'a', DB: 'b' } });
  await sendFromPage(vault.page, 'vault.create', { safeName: 'Shop', envName: 'Staging', keyValuePairs: { API: 'c' } });
  await vault.page.reload();

  await vault.field('Safe').selectOption({ label: 'Shop' });
  await vault.button('Manage safe').click();
  const manage = vault.root.getByRole('region', { name: 'Manage Shop' });
  await manage.getByLabel('Safe name', { exact: true }).fill('Store');
  await manage.getByRole('button', { name: 'Rename safe' }).click();
  await expect(vault.root.getByRole('region', { name: 'Manage Store' })).toBeVisible();

  // Protect Staging now, after its creation.
  const store = vault.root.getByRole('region', { name: 'Manage Store' });
  const staging = store.getByRole('form', { name: 'Staging' });
  await staging.getByLabel('Staging is protected: fill and insert ask first').check();
  await staging.getByRole('button', { name: 'Save Staging' }).click();
  await expect
    .poll(
      async () =>
        (await sendFromPage<Safe[]>(vault.page, 'vault.listSafes'))
          .find((s) => s.name === 'Store')
          ?.environments.find((e) => e.name === 'Staging')?.protected,
    )
    .toBe(true);

  // Delete Staging: the confirmation names it and counts its secrets; Cancel keeps it.
  await store.getByRole('button', { name: 'Delete Staging' }).click();
  let confirm = store.getByRole('alertdialog', { name: 'Delete Staging' });
  await expect(confirm).toContainText('Delete the environment Staging with its 1 secrets, on every device that syncs?');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(store.getByRole('form', { name: 'Staging' })).toBeVisible();
  await store.getByRole('button', { name: 'Delete Staging' }).click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(store.getByRole('form', { name: 'Staging' })).toHaveCount(0);

  // Delete the safe: 2 environments left (Development, Production), 2 secrets.
  await store.getByRole('button', { name: 'Delete safe' }).click();
  confirm = store.getByRole('alertdialog', { name: 'Delete safe' });
  await expect(confirm).toContainText('Delete the safe Store with its 2 environments and 2 secrets, on every device that syncs?');
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(vault.field('Safe')).toHaveValue((await sendFromPage<Safe[]>(vault.page, 'vault.listSafes'))[0]!.id);
  expect((await sendFromPage<Safe[]>(vault.page, 'vault.listSafes')).map((s) => s.name)).toEqual(['Personal']);
  const { hits } = await sendFromPage<{ hits: unknown[] }>(vault.page, 'vault.search', { query: 'API' });
  expect(hits).toEqual([]);
});
