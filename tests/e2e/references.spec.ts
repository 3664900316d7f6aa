import { expect, launchWithExtension, test as base } from './fixtures';
import { chooseMenuItem, IN_PAGE_ARGS, openPopupOn } from './pages/site-popup';
import { sendFromPage, VaultPage } from './pages/vault';
import { serveSites, type Sites } from './sites';
import type { BrowserContext } from '@playwright/test';

const MASTER = 'correct horse battery staple 42';

const test = base.extend<{ sites: Sites; context: BrowserContext; home: VaultPage }>({
  sites: async ({}, use) => {
    const sites = await serveSites();
    await use(sites);
    await sites.close();
  },
  context: async ({ userDataDir, sites }, use) => {
    const context = await launchWithExtension(userDataDir, 'en-US', IN_PAGE_ARGS);
    await use(context);
    await context.close();
    void sites;
  },
  home: async ({ context, extensionId }, use) => {
    const home = await VaultPage.open(await context.newPage(), extensionId);
    await home.setup(MASTER);
    await use(home);
  },
});

/** The value as stored (what Reveal shows first), through the popup's own requests. */
async function storedValue(home: VaultPage, key: string): Promise<string> {
  const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(home.page, 'vault.search', { query: key });
  const hit = hits.find((h) => h.key === key)!;
  return (await sendFromPage<{ value: string }>(home.page, 'vault.revealSecret', { id: hit.id })).value;
}

const create = (home: VaultPage, envName: string, keyValuePairs: object[]) =>
  sendFromPage(home.page, 'vault.create', { safeName: 'Personal', envName, keyValuePairs });

test('a reference is copied, revealed beside its raw value and filled resolved; one reaching Production asks first; a missing one stops', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  const site = [{ origin: sites.site, subdomains: false }];
  await create(home, 'Production', [{ key: 'DB_HOST', value: 'prod-db.internal' }]);
  await create(home, 'Development', [
    { key: 'DB_HOST', value: 'dev-db' },
    { key: 'DATABASE_URL', value: 'postgres://app@${DB_HOST}/main', autofill: site },
    { key: 'PROD_URL', value: 'postgres://${Production.DB_HOST}', autofill: site },
    { key: 'BROKEN', value: 'x-${NOPE}', autofill: site },
  ]);
  await home.page.reload();

  // Copy (Enter on the highlighted secret), then paste: the resolved value.
  const search = home.page.getByRole('searchbox', { name: 'Search' });
  await search.fill('DATABASE_URL');
  await expect(home.option('DATABASE_URL')).toBeVisible();
  await search.press('Enter');
  await expect(home.root.getByRole('status').filter({ hasText: 'DATABASE_URL: Copied' })).toBeVisible();
  await search.fill('');
  await search.press('ControlOrMeta+V');
  await expect(search).toHaveValue('postgres://app@dev-db/main');

  // Reveal: the raw value and the resolved one side by side.
  await search.fill('');
  await home.option('DATABASE_URL').click();
  await home.button('Reveal').click();
  await expect(home.field('Value')).toHaveText('postgres://app@${DB_HOST}/main');
  await expect(home.field('Resolved value')).toHaveText('postgres://app@dev-db/main');

  // Fill on the site: resolved; through Production, the Production question first; missing: stops with its name.
  const tab = await context.newPage();
  await tab.goto(`${sites.site}/login`);
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill DATABASE_URL into the page' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled DATABASE_URL' })).toBeVisible();
  expect(await tab.locator('[name=token]').inputValue()).toBe('postgres://app@dev-db/main');

  await popup.page.getByRole('button', { name: 'Fill PROD_URL into the page' }).click();
  const ask = popup.page.getByRole('alertdialog', { name: 'Fill PROD_URL anyway?' });
  await expect(ask.getByRole('listitem')).toHaveText(['It is a secret of Production, a protected environment.']);
  expect(await tab.locator('[name=token]').inputValue()).toBe('postgres://app@dev-db/main');
  await ask.getByRole('button', { name: 'Fill anyway' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled PROD_URL' })).toBeVisible();
  expect(await tab.locator('[name=token]').inputValue()).toBe('postgres://prod-db.internal');

  await tab.locator('[name=token]').fill('');
  await popup.page.getByRole('button', { name: 'Fill BROKEN into the page' }).click();
  await expect(
    popup.page.getByText('BROKEN cannot be used: ${NOPE} does not exist (Personal::Development.BROKEN → Personal::Development.NOPE)', {
      exact: false,
    }),
  ).toBeVisible();
  expect(await tab.locator('[name=token]').inputValue()).toBe('');
  await popup.page.close();
});

test('renaming a referenced secret shows who uses it and updates them on request', async ({ extensionId, home }) => {
  await create(home, 'Development', [
    { key: 'DB_HOST', value: 'dev-db' },
    { key: 'DATABASE_URL', value: 'postgres://${DB_HOST}/main' },
    { key: 'REPLICA_URL', value: 'postgres://${/DB_HOST}/replica' },
  ]);
  await home.page.reload();
  await home.option('DB_HOST').click();
  const usedBy = home.root.getByRole('region', { name: 'Used by' });
  await expect(usedBy.getByRole('listitem')).toHaveText([/^DATABASE_URL/, /^REPLICA_URL/]);

  await home.button('Edit').click();
  await home.field('Key').fill('DB_HOSTNAME');
  await home.button('Save').click();
  const prompt = home.root.getByRole('alertdialog', { name: 'Update the references?' });
  await expect(prompt).toContainText('Secrets that referred to DB_HOST at / (2)');
  await prompt.getByRole('button', { name: 'Update their references' }).click();
  await expect(home.root.getByRole('status').filter({ hasText: 'Secrets updated: 2' })).toBeVisible();

  expect(await storedValue(home, 'DATABASE_URL')).toBe('postgres://${DB_HOSTNAME}/main');
  expect(await storedValue(home, 'REPLICA_URL')).toBe('postgres://${/DB_HOSTNAME}/replica');
  void extensionId;
});

test('right-click Insert secret puts the resolved value at the caret, asking first when it reaches Production', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  const site = [{ origin: sites.site, subdomains: false }];
  await create(home, 'Production', [{ key: 'DEPLOY_HOST', value: 'deploy.prod.internal' }]);
  await create(home, 'Development', [{ key: 'DEPLOY_URL', value: 'https://${Production.DEPLOY_HOST}/hook', autofill: site }]);
  const tab = await context.newPage();
  await tab.goto(`${sites.site}/editor`);
  const notes = tab.locator('[name=notes]');
  await notes.fill('url: ');
  await notes.press('End');
  const insert = await chooseMenuItem(context, extensionId, tab, 'keysmith-insert', { editable: true });
  await insert.getByRole('button', { name: 'Insert DEPLOY_URL' }).click();
  const ask = insert.getByRole('alertdialog', { name: 'Insert DEPLOY_URL anyway?' });
  await expect(ask).toContainText('It is a secret of Production, a protected environment.');
  await expect(notes).toHaveValue('url: ');
  await ask.getByRole('button', { name: 'Insert anyway' }).click();
  await expect(notes).toHaveValue('url: https://deploy.prod.internal/hook');
});
