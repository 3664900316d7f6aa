import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, launchWithExtension, test as base } from './fixtures';
import { chooseMenuItem, IN_PAGE_ARGS, pressShortcut } from './pages/site-popup';
import { sendFromPage, VaultPage } from './pages/vault';
import { serveSites, type Sites } from './sites';

const MASTER = 'correct horse battery staple 42';
const KEY_HEX = randomBytes(32).toString('hex');

const test = base.extend<{ sites: Sites; context: BrowserContext; home: VaultPage }>({
  sites: async ({}, use) => {
    const sites = await serveSites();
    await use(sites);
    await sites.close();
  },
  context: async ({ userDataDir }, use) => {
    const context = await launchWithExtension(userDataDir, 'en-US', IN_PAGE_ARGS);
    await use(context);
    await context.close();
  },
  home: async ({ context, extensionId }, use) => {
    const home = await VaultPage.open(await context.newPage(), extensionId);
    await home.setup(MASTER);
    await sendFromPage(home.page, 'vault.create', {
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [{ key: 'TEAM_KEY', value: KEY_HEX, encryptionKey: true }],
    });
    await use(home);
  },
});

/** Node's AES-256-GCM over the Toolkit JSON: not Keysmith's code. */
function nodeDecrypt(json: string): string {
  const o = JSON.parse(json) as { ciphertext: string; iv: string; tag: string };
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(KEY_HEX, 'hex'), Buffer.from(o.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(o.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(o.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

async function visit(context: BrowserContext, url: string): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(url);
  return tab;
}

async function encryptWithTeamKey(window: Page) {
  const form = window.getByRole('form', { name: 'Encrypt the selection' });
  await expect(form.getByRole('radio', { name: /TEAM_KEY/ })).toBeChecked();
  await form.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(window.getByRole('status').filter({ hasText: 'the selection was replaced in the page' })).toBeVisible();
}

test('encrypt replaces the selection in an input, a textarea, a contenteditable and a same-origin iframe, and undo brings it back', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  void home;
  const tab = await visit(context, `${sites.site}/editor`);
  const spots = [
    { name: 'input', field: tab.locator('[name=subject]'), text: 'launch on friday' },
    { name: 'textarea', field: tab.locator('[name=notes]'), text: 'db password rotates\nnext week' },
    {
      name: 'iframe',
      field: tab.frameLocator('[name=inner]').locator('[name=framed]'),
      text: 'inside the frame',
      frameUrl: `${sites.site}/frame-textarea`,
    },
  ];
  for (const spot of spots) {
    await spot.field.fill(spot.text);
    await spot.field.selectText();
    const window = await chooseMenuItem(context, extensionId, tab, 'keysmith-encrypt', {
      selectionText: spot.text,
      editable: true,
      ...(spot.frameUrl ? { frameUrl: spot.frameUrl } : {}),
    });
    await encryptWithTeamKey(window);
    const json = await spot.field.inputValue();
    expect(json, spot.name).toMatch(/^\{"ciphertext":/);
    expect(nodeDecrypt(json), spot.name).toBe(spot.text);
    await window.close();
  }
  // The browser's undo restores what was there: the edit went through the editing command.
  await tab.bringToFront();
  await tab.locator('[name=notes]').focus();
  await tab.keyboard.press('Control+z');
  await expect(tab.locator('[name=notes]')).toHaveValue('db password rotates\nnext week');
  expect(await tab.evaluate(() => (window as unknown as { events: string[] }).events)).toContain('input:notes');

  const body = tab.locator('#body');
  await body.fill('a paragraph to hide');
  await body.selectText();
  const window = await chooseMenuItem(context, extensionId, tab, 'keysmith-encrypt', {
    selectionText: 'a paragraph to hide',
    editable: true,
  });
  await encryptWithTeamKey(window);
  expect(nodeDecrypt(await body.innerText())).toBe('a paragraph to hide');
});

test('decrypt shows the plaintext in Keysmith’s window and writes nothing to the page until Replace', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  void home;
  const tab = await visit(context, `${sites.site}/editor`);
  const notes = tab.locator('[name=notes]');
  await notes.fill('the quarterly numbers');
  await notes.selectText();
  await encryptWithTeamKey(await chooseMenuItem(context, extensionId, tab, 'keysmith-encrypt', { editable: true }));
  const json = await notes.inputValue();

  await notes.selectText();
  const window = await chooseMenuItem(context, extensionId, tab, 'keysmith-decrypt', { selectionText: json, editable: true });
  await expect(window.getByLabel('Plaintext')).toHaveValue('the quarterly numbers');
  await expect(notes).toHaveValue(json);
  await window.getByRole('button', { name: 'Replace in page' }).click();
  await expect(notes).toHaveValue('the quarterly numbers');

  // Not editable (a paragraph): shown, never written; and text that is not a ciphertext, in words.
  const reading = await visit(context, `${sites.site}/reading`);
  await reading.locator('#message').evaluate((p, text) => (p.textContent = `Here:\n${text}\nthanks`), json.replace(/(.{30})/g, '$1\n'));
  await reading.locator('#message').selectText();
  const shown = await chooseMenuItem(context, extensionId, reading, 'keysmith-decrypt', { editable: false });
  await expect(shown.getByLabel('Plaintext')).toHaveValue('the quarterly numbers');
  await expect(shown.getByRole('button', { name: 'Replace in page' })).toHaveCount(0);
  await reading.locator('#message').evaluate((p) => (p.textContent = 'just words'));
  await reading.locator('#message').selectText();
  const refused = await chooseMenuItem(context, extensionId, reading, 'keysmith-decrypt', { editable: false });
  await expect(refused.getByRole('alert')).toHaveText(/holds no Keysmith or Toolkit ciphertext/);
});

test('a locked vault asks for the master password in the window, then finishes; insert puts a secret at the caret', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  await sendFromPage(home.page, 'vault.create', {
    safeName: 'Personal',
    envName: 'Production',
    keyValuePairs: [{ key: 'DEPLOY_TOKEN', value: 'dt-live-42', autofill: [{ origin: sites.site, subdomains: false }] }],
  });
  await sendFromPage(home.page, 'vault.lock');
  const tab = await visit(context, `${sites.site}/editor`);
  const subject = tab.locator('[name=subject]');
  await subject.fill('ship it');
  await subject.selectText();
  const window = await chooseMenuItem(context, extensionId, tab, 'keysmith-encrypt', { editable: true });
  await expect(window.getByText('Unlock Keysmith to finish.')).toBeVisible();
  await window.getByLabel('Master password').fill(MASTER);
  await window.getByRole('button', { name: 'Unlock' }).click();
  await encryptWithTeamKey(window);
  expect(nodeDecrypt(await subject.inputValue())).toBe('ship it');

  const notes = tab.locator('[name=notes]');
  await notes.fill('token: ');
  await notes.press('End');
  const insert = await chooseMenuItem(context, extensionId, tab, 'keysmith-insert', { editable: true });
  await insert.getByRole('button', { name: 'Insert DEPLOY_TOKEN' }).click();
  const ask = insert.getByRole('alertdialog', { name: 'Insert DEPLOY_TOKEN anyway?' });
  await expect(ask).toContainText('It is a secret of Production, a protected environment.');
  await expect(notes).toHaveValue('token: ');
  await ask.getByRole('button', { name: 'Insert anyway' }).click();
  await expect(notes).toHaveValue('token: dt-live-42');
});

test('the encrypt shortcut encrypts the selection with the first encryption key, without a window', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  void home;
  const tab = await visit(context, `${sites.site}/editor`);
  const notes = tab.locator('[name=notes]');
  await notes.fill('short and sweet');
  await notes.selectText();
  await pressShortcut(context, extensionId, tab, 'encrypt-selection');
  await expect(notes).toHaveValue(/^\{"ciphertext":/);
  expect(nodeDecrypt(await notes.inputValue())).toBe('short and sweet');
});

test('the shortcut never encrypts a page’s own hidden selection, and a frame that reports other text than the browser is not written to', async ({
  context,
  extensionId,
  home,
  sites,
}) => {
  void home;
  const trap = await visit(context, `${sites.site}/selection-trap`);
  const [window] = await Promise.all([
    context.waitForEvent('page', (p) => p.url().includes('/selection.html#')),
    pressShortcut(context, extensionId, trap, 'encrypt-selection'),
  ]);
  // Not written into the page: Keysmith's window opens to show what would be encrypted.
  await expect(window.getByRole('form', { name: 'Encrypt the selection' })).toBeVisible();
  await trap.waitForTimeout(200);
  expect(await trap.locator('[name=hidden]').inputValue()).toBe('attacker text');
  await window.close();

  // The browser's copy of the selection differs from what the frame says: only the browser's is
  // used, and the result is copied, never written where the page pointed.
  const tab = await visit(context, `${sites.site}/editor`);
  const notes = tab.locator('[name=notes]');
  await notes.fill('what the page selected');
  await notes.selectText();
  const menu = await chooseMenuItem(context, extensionId, tab, 'keysmith-encrypt', {
    selectionText: 'what the user selected',
    editable: true,
  });
  await expect(menu.getByLabel('Selected text')).toHaveValue('what the user selected');
  await menu.getByRole('button', { name: 'Encrypt', exact: true }).click();
  await expect(menu.getByRole('status').filter({ hasText: 'Copied to the clipboard' })).toBeVisible();
  await expect(notes).toHaveValue('what the page selected');
});

test('a right-click survives the service worker being stopped while the window is open', async ({ context, extensionId, home, sites }) => {
  void home;
  const tab = await visit(context, `${sites.site}/editor`);
  const notes = tab.locator('[name=notes]');
  await notes.fill('slow typist');
  await notes.selectText();
  const window = await chooseMenuItem(context, extensionId, tab, 'keysmith-encrypt', { selectionText: 'slow typist', editable: true });
  await expect(window.getByRole('radio', { name: /TEAM_KEY/ })).toBeChecked();
  // Chrome stops a worker idle for 30 s; a user may take that long in the window.
  const cdp = await context.newCDPSession(window);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await encryptWithTeamKey(window);
  expect(nodeDecrypt(await notes.inputValue())).toBe('slow typist');
});

test('on a page the browser keeps extensions out of, decrypt still works from the browser’s copy, and insert says why it cannot', async ({
  context,
  extensionId,
  home,
}) => {
  void extensionId;
  void home;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(KEY_HEX, 'hex'), iv);
  const ciphertext = Buffer.concat([cipher.update('from a pdf', 'utf8'), cipher.final()]);
  const json = JSON.stringify({
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    salt: null,
    algorithm: 'AES-256-GCM',
  });
  const browserPage = await context.newPage();
  await browserPage.goto('chrome://version/');
  const worker = context.serviceWorkers()[0]!;
  const menu = (menuItemId: string, info: object) =>
    Promise.all([
      context.waitForEvent('page', (p) => p.url().includes('/selection.html#')),
      worker.evaluate(
        async ({ menuItemId, info }) => {
          type Chrome = {
            tabs: { query(q: object): Promise<{ id: number; url?: string }[]> };
            contextMenus: { onClicked: { dispatch(i: object, t: object): void } };
          };
          const chrome = (globalThis as unknown as { chrome: Chrome }).chrome;
          // Without access to it, the tab's address is hidden: it is the one tab whose URL Keysmith cannot read.
          const tab = (await chrome.tabs.query({})).find((t) => !t.url?.startsWith('chrome-extension://'))!;
          chrome.contextMenus.onClicked.dispatch({ menuItemId, frameId: 0, pageUrl: 'chrome://version/', ...info }, tab);
        },
        { menuItemId, info },
      ),
    ]).then(([window]) => window);

  const decrypted = await menu('keysmith-decrypt', { selectionText: json, editable: false });
  await expect(decrypted.getByText('The browser keeps extensions out of this page')).toBeVisible();
  await expect(decrypted.getByLabel('Plaintext')).toHaveValue('from a pdf');
  await expect(decrypted.getByRole('button', { name: 'Replace in page' })).toHaveCount(0);
  const insert = await menu('keysmith-insert', { editable: true });
  await expect(insert.getByRole('alert')).toHaveText(/does not let extensions into this page/);
});
