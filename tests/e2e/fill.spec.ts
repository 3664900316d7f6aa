import { expect, extensionIdOf, launchWithExtension, test as base } from './fixtures';
import { IN_PAGE_ARGS, openPopupOn, pressShortcut } from './pages/site-popup';
import { sendFromPage, VaultPage } from './pages/vault';
import { FOCUS_ELSEWHERE, HONEYPOTS, SUBMITTERS } from './hostile-pages';
import { INSECURE_HOST, serveSites, type Sites } from './sites';
import type { BrowserContext, Page } from '@playwright/test';

const MASTER = 'correct horse battery staple 42';
const TOKEN = 'tok_live_7c1e9a2b5d8f';

/** A browser with the extension, a vault set up, and the test sites. */
const test = base.extend<{ sites: Sites; context: BrowserContext; home: VaultPage }>({
  sites: async ({}, use) => {
    const sites = await serveSites();
    await use(sites);
    await sites.close();
  },
  context: async ({ userDataDir, sites }, use) => {
    const context = await launchWithExtension(userDataDir, 'en-US', [
      ...IN_PAGE_ARGS,
      `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`,
    ]);
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

async function addSecret(home: VaultPage, key: string, origin: string, env = 'Development', extra: object = {}) {
  await sendFromPage(home.page, 'vault.create', {
    safeName: 'Personal',
    envName: env,
    keyValuePairs: [{ key, value: `${TOKEN}-${key}`, autofill: [{ origin, subdomains: false, ...extra }] }],
  });
}

async function visit(context: BrowserContext, url: string): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(url);
  return tab;
}

const fieldValue = (tab: Page, name: string) => tab.locator(`[name=${name}]`).inputValue();

test('the popup offers this site’s secrets and fills the visible field, with the events pages listen to', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  await addSecret(home, 'OTHER_SITE_TOKEN', sites.other);
  const tab = await visit(context, `${sites.site}/login`);
  const popup = await openPopupOn(context, extensionId, tab);
  const group = popup.page.getByRole('region', { name: `Secrets for ${sites.site}` });
  await expect(group.getByText('SITE_TOKEN', { exact: true })).toBeVisible();
  // A secret for another origin is never offered here.
  await expect(group.getByText('OTHER_SITE_TOKEN')).toHaveCount(0);
  await group.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' })).toBeVisible();
  expect(await fieldValue(tab, 'token')).toBe(`${TOKEN}-SITE_TOKEN`);
  expect(await tab.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual(['input:token', 'change:token']);
});

test('hidden, faded, off-screen, zero-size, covered and filtered fields get nothing', async ({ context, extensionId, home, sites }) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const tab = await visit(context, `${sites.site}/hidden`);
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'No visible field to fill on this page' })).toBeVisible();
  for (const name of ['display', 'visibility', 'faded', 'offscreen', 'tiny', 'covered']) expect(await fieldValue(tab, name), name).toBe('');
  expect(await tab.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([]);

  // An overlay that lets clicks through (pointer-events: none) and a CSS filter fool hit testing and
  // styles; Chromium's own visibility answer (IntersectionObserver v2) does not.
  for (const [path, name] of [
    ['/overlay', 'under'],
    ['/filtered', 'filtered'],
  ] as const) {
    const covered = await visit(context, `${sites.site}${path}`);
    const popup = await openPopupOn(context, extensionId, covered);
    await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
    await expect(popup.page.getByRole('status').filter({ hasText: 'No visible field to fill on this page' }), path).toBeVisible();
    expect(await fieldValue(covered, name), path).toBe('');
    await popup.page.close();
  }
});

test('a field the page focused itself while invisible gets nothing; the visible one is offered by name and filled on that click', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const tab = await visit(context, `${sites.site}/focus-trap`);
  // Playwright's evaluate counts as a user gesture: the page has been active, so its focus counts as chosen.
  expect(await tab.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('trap');
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  const ask = popup.page.getByRole('alertdialog', { name: 'SITE_TOKEN was not filled' });
  await expect(ask).toContainText('The focused field is not one a person can see and use');
  expect(await fieldValue(tab, 'visible')).toBe('');
  await ask.getByRole('button', { name: 'Fill “visible”' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' })).toBeVisible();
  expect(await fieldValue(tab, 'trap')).toBe('');
  expect(await fieldValue(tab, 'visible')).toBe(`${TOKEN}-SITE_TOKEN`);
});

test('a focused third-party iframe inside the site gets nothing; a focused same-origin one is filled', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const framed = await visit(context, `${sites.site}/framed-third-party`);
  const third = framed.frame({ name: 'third' })!;
  await third.locator('[name=framed]').focus();
  let popup = await openPopupOn(context, extensionId, framed);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  const ask = popup.page.getByRole('alertdialog', { name: 'SITE_TOKEN was not filled' });
  await expect(ask).toContainText('Your cursor is in a frame of another site');
  await expect(ask).toContainText('Click into the field you want filled');
  expect(await third.locator('[name=framed]').inputValue()).toBe('');
  await popup.page.close();

  const own = await visit(context, `${sites.site}/framed-same-origin`);
  await own.frame({ name: 'own' })!.locator('[name=framed]').click();
  popup = await openPopupOn(context, extensionId, own);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' })).toBeVisible();
  expect(await own.frame({ name: 'own' })!.locator('[name=framed]').inputValue()).toBe(`${TOKEN}-SITE_TOKEN`);
});

test('a form posting to another origin, an insecure page and a protected environment ask first, in the popup', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const tab = await visit(context, `${sites.site}/form-elsewhere`);
  let popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  let ask = popup.page.getByRole('alertdialog', { name: 'Fill SITE_TOKEN anyway?' });
  await expect(ask).toContainText(`The form sends it to another site: ${sites.other}.`);
  expect(await fieldValue(tab, 'token')).toBe('');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toHaveCount(0);
  expect(await fieldValue(tab, 'token')).toBe('');
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  await popup.page.getByRole('button', { name: 'Fill anyway' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' })).toBeVisible();
  expect(await fieldValue(tab, 'token')).toBe(`${TOKEN}-SITE_TOKEN`);
  await popup.page.close();

  // http on a name that is not loopback: not a secure context. And a Production secret.
  await addSecret(home, 'PROD_TOKEN', sites.insecure, 'Production');
  const insecure = await visit(context, `${sites.insecure}/login`);
  popup = await openPopupOn(context, extensionId, insecure);
  await popup.page.getByRole('button', { name: 'Fill PROD_TOKEN into the page' }).click();
  ask = popup.page.getByRole('alertdialog', { name: 'Fill PROD_TOKEN anyway?' });
  await expect(ask.getByRole('listitem')).toHaveText([
    'It is a secret of Production, a protected environment.',
    `${sites.insecure} is not a secure (https) page: others on the network could read what is sent.`,
  ]);
  await expect(ask.locator('.badge-protected')).toHaveCSS('color', 'rgb(179, 38, 30)');
  expect(await fieldValue(insecure, 'token')).toBe('');
  await ask.getByRole('button', { name: 'Fill anyway' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled PROD_TOKEN' })).toBeVisible();
  expect(await fieldValue(insecure, 'token')).toBe(`${TOKEN}-PROD_TOKEN`);
});

test('without the user opening Keysmith on the tab, and for another site’s secret, nothing reaches the page', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  await addSecret(home, 'OTHER_SITE_TOKEN', sites.other);
  const tab = await visit(context, `${sites.site}/synthetic`);
  // The page's own clicks and key presses (its synthetic events run all along) fill nothing.
  await tab.waitForTimeout(300);
  expect(await fieldValue(tab, 'token')).toBe('');

  // The popup opened by other means than the toolbar on this tab: no access, so nothing to offer.
  const popup = await openPopupOn(context, extensionId, tab, false);
  await expect(popup.page.getByRole('searchbox', { name: 'Search' })).toBeVisible();
  await expect(popup.page.getByRole('region', { name: /^Secrets for/ })).toHaveCount(0);
  const ids = await sendFromPage<{ hits: { id: string; key: string }[] }>(popup.page, 'vault.search', { query: 'TOKEN' });
  const idOf = (key: string) => ids.hits.find((h) => h.key === key)!.id;
  await expect(sendFromPage(popup.page, 'fill.fill', { id: idOf('SITE_TOKEN') })).rejects.toThrow(/cannot reach this tab/);
  await popup.page.close();

  // With access, a secret for another origin is refused by the background, whatever the page asks.
  const granted = await openPopupOn(context, extensionId, tab);
  await expect(granted.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' })).toBeVisible();
  await expect(sendFromPage(granted.page, 'fill.fill', { id: idOf('OTHER_SITE_TOKEN') })).rejects.toThrow(/not for this site/);
  expect(await fieldValue(tab, 'token')).toBe('');
  // Enter in the empty search box fills this site's first secret.
  await granted.page.getByRole('searchbox', { name: 'Search' }).press('Enter');
  await expect(granted.page.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' })).toBeVisible();
  expect(await fieldValue(tab, 'token')).toBe(`${TOKEN}-SITE_TOKEN`);
});

test('a secret’s websites are set in its form, and a bad address is refused beside the field', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await home.button('New secret').click();
  await home.field('Key').fill('FORM_TOKEN');
  await home.field('Value').fill('form-value-1');
  await home.field('Websites').fill('javascript:alert(1)');
  await home.button('Save').click();
  await expect(home.field('Websites')).toHaveAccessibleDescription(/is not a website address/);
  await home.field('Websites').fill(`${sites.site}/login`);
  await home.field('Field name (optional)').fill('token');
  await home.button('Save').click();
  await expect(home.root.getByRole('status').filter({ hasText: 'Saved FORM_TOKEN.' })).toBeVisible();
  const tab = await visit(context, `${sites.site}/login`);
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill FORM_TOKEN into the page' }).click();
  await expect(popup.page.getByRole('status').filter({ hasText: 'Filled FORM_TOKEN' })).toBeVisible();
  expect(await fieldValue(tab, 'token')).toBe('form-value-1');
  void extensionIdOf;
});

test('the fill shortcut fills this site’s first secret into the focused field, and leaves a protected one to the popup', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const tab = await visit(context, `${sites.site}/login`);
  await tab.locator('[name=token]').focus();
  await pressShortcut(context, extensionId, tab, 'fill-best-match');
  await expect(tab.locator('[name=token]')).toHaveValue(`${TOKEN}-SITE_TOKEN`);

  await addSecret(home, 'PROD_TOKEN', sites.other, 'Production');
  const other = await visit(context, `${sites.other}/login`);
  await pressShortcut(context, extensionId, other, 'fill-best-match');
  await other.waitForTimeout(500);
  expect(await fieldValue(other, 'token')).toBe('');
});

test('a page that changes where its form posts while the user is asked gets nothing until that is accepted too', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'PROD_TOKEN', sites.site, 'Production');
  const tab = await visit(context, `${sites.site}/login`);
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill PROD_TOKEN into the page' }).click();
  const ask = popup.page.getByRole('alertdialog', { name: 'Fill PROD_TOKEN anyway?' });
  await expect(ask).toContainText('a protected environment');
  // The user was asked about the environment, not about a form that posts to another site.
  await tab.evaluate((other) => document.querySelector('form')!.setAttribute('action', `${other}/collect`), sites.other);
  await ask.getByRole('button', { name: 'Fill anyway' }).click();
  // The fill looks at the page again: the new destination is asked about, and nothing was filled.
  await expect(ask.getByRole('listitem')).toHaveText([
    'It is a secret of Production, a protected environment.',
    `The form sends it to another site: ${sites.other}.`,
  ]);
  expect(await fieldValue(tab, 'token')).toBe('');
});

test('a submit button that sends the form elsewhere asks first, like the form’s own action', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const tab = await visit(context, `${sites.site}/formaction`);
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).click();
  await expect(popup.page.getByRole('alertdialog', { name: 'Fill SITE_TOKEN anyway?' })).toContainText(
    `The form sends it to another site: ${sites.other}.`,
  );
  expect(await fieldValue(tab, 'token')).toBe('');
});

/** Opens the popup on `tab` and clicks Fill for `key`. */
async function fillFromPopup(context: BrowserContext, extensionId: string, tab: Page, key = 'SITE_TOKEN') {
  const popup = await openPopupOn(context, extensionId, tab);
  await popup.page.getByRole('button', { name: `Fill ${key} into the page` }).click();
  return popup.page;
}

test('a field no person could see or use is passed over for the one the user sees, on each honeypot page', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  for (const path of Object.keys(HONEYPOTS)) {
    const tab = await visit(context, `${sites.site}${path}`);
    const popup = await fillFromPopup(context, extensionId, tab);
    await expect.soft(popup.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' }), path).toBeVisible();
    expect.soft(await fieldValue(tab, 'trap'), path).toBe('');
    expect.soft(await fieldValue(tab, 'token'), path).toBe(`${TOKEN}-SITE_TOKEN`);
    await popup.close();
    await tab.close();
  }
});

test('a transparent field laid over the real one, focused by the user’s click, gets nothing and neither does the field under it', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const tab = await visit(context, `${sites.site}/overlaid`);
  const box = (await tab.locator('[name=token]').boundingBox())!;
  await tab.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  expect(await tab.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('trap');
  const popup = await fillFromPopup(context, extensionId, tab);
  const ask = popup.getByRole('alertdialog', { name: 'SITE_TOKEN was not filled' });
  await expect(ask).toContainText('The focused field is not one a person can see and use');
  await expect(ask).toContainText('Click into the field you want filled, then fill again.');
  expect(await fieldValue(tab, 'trap')).toBe('');
  expect(await fieldValue(tab, 'token')).toBe('');
});

test('focus on something Keysmith cannot fill fills nothing: the popup says why and offers the visible field by name', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  const reasons: Record<string, string> = {
    '/focus-cross-frame': 'in a frame of another site',
    '/focus-shadow-open': 'inside a page component',
    '/focus-shadow-closed': 'inside a page component',
    '/focus-editable': 'in a rich-text editor',
    '/focus-button': 'not a text field',
  };
  for (const path of Object.keys(FOCUS_ELSEWHERE)) {
    const tab = await visit(context, `${sites.site}${path}`);
    // The user's own click (trusted input) puts the focus there.
    if (path === '/focus-cross-frame') await tab.frame({ name: 'third' })!.locator('[name=framed]').click();
    else if (path.startsWith('/focus-shadow')) await tab.locator('x-box').click();
    else await tab.locator(path === '/focus-editable' ? '#editor' : '#thing').click();
    const popup = await fillFromPopup(context, extensionId, tab);
    const ask = popup.getByRole('alertdialog', { name: 'SITE_TOKEN was not filled' });
    await expect.soft(ask, path).toContainText(reasons[path]!);
    await expect.soft(ask, path).toContainText('Fill the “Public comment” field instead?');
    expect.soft(await fieldValue(tab, 'comment'), path).toBe('');
    if (path === '/focus-editable') {
      // Only the user's second, explicit click fills the field it names.
      await ask.getByRole('button', { name: 'Fill “Public comment”' }).click();
      await expect(popup.getByRole('status').filter({ hasText: 'Filled SITE_TOKEN' })).toBeVisible();
      expect(await fieldValue(tab, 'comment')).toBe(`${TOKEN}-SITE_TOKEN`);
      expect(await tab.locator('#editor').textContent()).toBe('');
    }
    await popup.close();
    await tab.close();
  }
});

test('an image button or a base URL sending the form to another origin asks first, inside the form or tied to it with form=', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'SITE_TOKEN', sites.site);
  for (const path of Object.keys(SUBMITTERS)) {
    const tab = await visit(context, `${sites.site}${path}`);
    const popup = await fillFromPopup(context, extensionId, tab);
    await expect
      .soft(popup.getByRole('alertdialog', { name: 'Fill SITE_TOKEN anyway?' }), path)
      .toContainText(`The form sends it to another site: ${sites.other}.`);
    expect.soft(await fieldValue(tab, 'token'), path).toBe('');
    await popup.close();
    await tab.close();
  }
});

test('a submit button retargeted while the user is asked (formmethod, formtarget) asks again before anything is written', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await addSecret(home, 'PROD_TOKEN', sites.site, 'Production');
  const tab = await visit(context, `${sites.site}/retargeted`);
  const popup = await fillFromPopup(context, extensionId, tab, 'PROD_TOKEN');
  const ask = popup.getByRole('alertdialog', { name: 'Fill PROD_TOKEN anyway?' });
  await expect(ask).toContainText('a protected environment');
  await tab.evaluate(() => {
    const go = document.getElementById('go')!;
    go.setAttribute('formmethod', 'get');
    go.setAttribute('formtarget', '_blank');
  });
  await ask.getByRole('button', { name: 'Fill anyway' }).click();
  await expect(ask.getByRole('listitem')).toHaveText(['It is a secret of Production, a protected environment.']);
  await popup.waitForTimeout(300);
  expect(await fieldValue(tab, 'token')).toBe('');
  await ask.getByRole('button', { name: 'Fill anyway' }).click();
  await expect(popup.getByRole('status').filter({ hasText: 'Filled PROD_TOKEN' })).toBeVisible();
  expect(await fieldValue(tab, 'token')).toBe(`${TOKEN}-PROD_TOKEN`);
});
