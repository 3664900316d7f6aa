// What Keysmith does in web pages, in real Firefox: its right-click menu on a selection, and the
// popup's Fill. The menu item and the toolbar button are chosen in Firefox's own window
// (browser-ui.ts), so Firefox itself fires menus.onClicked and grants activeTab, as for a person.
import { createDecipheriv, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HONEYPOTS, PAINTED } from '../e2e/hostile-pages';
import { serveSites, type Sites } from '../e2e/sites';
import { chooseFromContextMenu, clickToolbarButton, windowOpenedBy } from './browser-ui';
import { control, launchFirefox, openExtensionPage, sendFromPage, setUpVault, waitForText, waitUntil } from './firefox';

const KEY_HEX = randomBytes(32).toString('hex');
const TOKEN = 'tok_live_7c1e9a2b5d8f';
const ENCRYPT = ['Keysmith', 'Encrypt selection with Keysmith…'];
const DECRYPT = ['Keysmith', 'Decrypt selection with Keysmith…'];

let browser: Browser | undefined;
let sites: Sites;
beforeEach(async () => {
  sites = await serveSites();
});
afterEach(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await sites.close();
});

/** Node's AES-256-GCM over the Toolkit JSON: not Keysmith's code. */
function nodeDecrypt(json: string): string {
  const o = JSON.parse(json) as { ciphertext: string; iv: string; tag: string };
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(KEY_HEX, 'hex'), Buffer.from(o.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(o.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(o.ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

/** Firefox with a vault set up in a tab of Keysmith's own (the tab stays open, in the background). */
async function withVault(): Promise<Page> {
  browser = await launchFirefox();
  const home = await openExtensionPage(browser, '/popup.html');
  await setUpVault(home);
  return home;
}

async function visit(url: string): Promise<Page> {
  const tab = await browser!.newPage();
  await tab.goto(url);
  return tab;
}

/** Selects all the text of `selector` (a field's value, or an element's text) and returns a point on it. */
async function selectAll(tab: Page, selector: string): Promise<{ x: number; y: number }> {
  return tab.$eval(selector, (el) => {
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) {
      el.focus();
      el.select();
      const r = el.getBoundingClientRect();
      return { x: r.left + 12, y: r.top + 10 }; // on the first characters
    }
    const range = document.createRange();
    range.selectNodeContents(el);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
    const r = range.getClientRects()[0]!;
    return { x: r.left + Math.min(12, r.width / 2), y: r.top + r.height / 2 };
  });
}

/** Right-clicks the selection in `selector` and chooses `item`: returns Keysmith's window that opens. */
async function menuOnSelection(tab: Page, selector: string, item: string[]): Promise<Page> {
  const point = await selectAll(tab, selector);
  return windowOpenedBy(browser!, '/selection.html#', () => chooseFromContextMenu(browser!, tab, point, item));
}

/** Clicks Fill for SITE_TOKEN in the popup once it shows it. */
async function clickFill(popup: Awaited<ReturnType<typeof clickToolbarButton>>) {
  for (let i = 0; i < 100 && !(await popup.has('Fill SITE_TOKEN into the page').catch(() => false)); i++)
    await new Promise((r) => setTimeout(r, 100));
  await popup.click('Fill SITE_TOKEN into the page');
}

const fieldValue = (tab: Page, selector: string) => tab.$eval(selector, (el) => (el as HTMLInputElement).value);

describe('Keysmith in web pages, in Firefox', () => {
  it('encrypts the selection from the right-click menu into what Node decrypts, and decrypts it back only on Replace', async () => {
    const home = await withVault();
    await sendFromPage(home, 'vault.create', {
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [{ key: 'TEAM_KEY', value: KEY_HEX, encryptionKey: true }],
    });
    const tab = await visit(`${sites.site}/editor`);
    await tab.type('[name=notes]', 'the quarterly numbers');

    const encrypt = await menuOnSelection(tab, '[name=notes]', ENCRYPT);
    await control(encrypt, 'Selected text');
    const chosen = await encrypt.$eval(
      'form[aria-label="Encrypt the selection"] input[type=radio]:checked',
      (r) => r.closest('label')!.textContent,
    );
    expect(chosen).toContain('TEAM_KEY');
    await (await control(encrypt, 'Encrypt', 20_000, 'Encrypt the selection')).click();
    await waitForText(encrypt, 'the selection was replaced in the page');
    const json = await fieldValue(tab, '[name=notes]');
    expect(json).toMatch(/^\{"ciphertext":/);
    expect(nodeDecrypt(json)).toBe('the quarterly numbers');
    await encrypt.close();

    const decrypt = await menuOnSelection(tab, '[name=notes]', DECRYPT);
    const plaintext = await control(decrypt, 'Plaintext');
    await waitUntil(decrypt, (el) => (el as HTMLTextAreaElement).value !== '', { timeout: 10_000 }, plaintext);
    expect(await plaintext.evaluate((el) => (el as HTMLTextAreaElement).value)).toBe('the quarterly numbers');
    expect(await fieldValue(tab, '[name=notes]')).toBe(json); // shown, not written, until the user says so
    await (await control(decrypt, 'Replace in page')).click();
    await waitUntil(tab, () => document.querySelector('textarea')!.value === 'the quarterly numbers', { timeout: 10_000 });
  });

  it('decrypting text that is no ciphertext says so in Keysmith’s window and leaves the page as it was', async () => {
    await withVault();
    const tab = await visit(`${sites.site}/reading`);
    await tab.$eval('#message', (p) => (p.textContent = 'just words'));
    const window = await menuOnSelection(tab, '#message', DECRYPT);
    await waitUntil(window, () => document.querySelector('[role="alert"]')?.textContent, { timeout: 20_000 });
    expect(await window.$eval('[role="alert"]', (el) => el.textContent)).toMatch(/holds no Keysmith or Toolkit ciphertext/);
    expect(await tab.$eval('#message', (p) => p.textContent)).toBe('just words');
  });

  it('the popup opened from the toolbar fills this site’s secret into the page; before that click nothing can', async () => {
    const home = await withVault();
    for (const [key, origin] of [
      ['SITE_TOKEN', sites.site],
      ['OTHER_SITE_TOKEN', sites.other],
    ] as const) {
      await sendFromPage(home, 'vault.create', {
        safeName: 'Personal',
        envName: 'Development',
        keyValuePairs: [{ key, value: `${TOKEN}-${key}`, autofill: [{ origin, subdomains: false }] }],
      });
    }
    const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(home, 'vault.search', { query: 'SITE_TOKEN' });
    const siteToken = hits.find((h) => h.key === 'SITE_TOKEN')!.id;
    const tab = await visit(`${sites.site}/login`);

    // Without the user's click on Keysmith's button the tab is out of Keysmith's reach, even in front.
    await tab.bringToFront();
    await expect(sendFromPage(home, 'fill.fill', { id: siteToken })).rejects.toThrow(/cannot reach this tab/);
    expect(await fieldValue(tab, '[name=token]')).toBe('');

    const popup = await clickToolbarButton(browser!, tab);
    await popup.waitForText('OTHER_SITE_TOKEN'); // both rows listed: only one may be filled here
    expect(await popup.has('Fill SITE_TOKEN into the page')).toBe(true);
    expect(await popup.has('Fill OTHER_SITE_TOKEN into the page')).toBe(false); // another site's secret is never offered
    await popup.click('Fill SITE_TOKEN into the page');
    await popup.waitForText('Filled SITE_TOKEN');
    expect(await fieldValue(tab, '[name=token]')).toBe(`${TOKEN}-SITE_TOKEN`);
    expect(await tab.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual(['input:token', 'change:token']);
  });

  it('hidden, faded, off-screen, zero-size and covered fields get nothing from the popup', async () => {
    const home = await withVault();
    await sendFromPage(home, 'vault.create', {
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [{ key: 'SITE_TOKEN', value: `${TOKEN}-SITE_TOKEN`, autofill: [{ origin: sites.site, subdomains: false }] }],
    });
    const tab = await visit(`${sites.site}/hidden`);
    const popup = await clickToolbarButton(browser!, tab);
    await popup.waitForText('SITE_TOKEN');
    await popup.click('Fill SITE_TOKEN into the page');
    await popup.waitForText('No visible field to fill on this page');
    for (const name of ['display', 'visibility', 'faded', 'offscreen', 'tiny', 'covered'])
      expect(await fieldValue(tab, `[name=${name}]`), name).toBe('');
    expect(await tab.evaluate(() => (window as unknown as { events: string[] }).events)).toEqual([]);
  });

  it('honeypots, and covers and styles only paint order tells, get nothing; the field a person sees does', {
    timeout: 240_000,
  }, async () => {
    const home = await withVault();
    await sendFromPage(home, 'vault.create', {
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [{ key: 'SITE_TOKEN', value: `${TOKEN}-SITE_TOKEN`, autofill: [{ origin: sites.site, subdomains: false }] }],
    });
    const failures: string[] = [];
    const expectEqual = (path: string, got: unknown, want: unknown) => {
      if (got !== want) failures.push(`${path}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
    };
    // Firefox has no IntersectionObserver v2: these pages are what Keysmith's own reading of the page must refuse.
    const painted: Record<string, string> = {
      ...Object.fromEntries(Object.keys(PAINTED).map((p) => [p, 'trap'])),
      '/overlay': 'under',
      '/filtered': 'filtered',
    };
    for (const path of [...Object.keys(HONEYPOTS), ...Object.keys(painted)]) {
      const tab = await visit(`${sites.site}${path}`);
      if (path === '/frame-dot') {
        // A real click on the page, then the page moves the focus into the frame clipped to a dot.
        await tab.click('#spot');
        await tab.evaluate(() => (document.querySelector('iframe') as HTMLIFrameElement).contentDocument!.querySelector('input')!.focus());
      }
      const popup = await clickToolbarButton(browser!, tab).catch((error: Error) => {
        throw new Error(`${path}: ${error.message}`);
      });
      await clickFill(popup);
      const hidden =
        path === '/frame-dot'
          ? 'is not one a person can see and use'
          : path in painted
            ? 'No visible field to fill on this page'
            : 'Filled SITE_TOKEN';
      await popup.waitForText(hidden).catch((error: Error) => failures.push(`${path}: ${error.message.slice(0, 200)}`));
      const trap =
        path === '/frame-dot'
          ? await tab.evaluate(() => (document.querySelector('iframe') as HTMLIFrameElement).contentDocument!.querySelector('input')!.value)
          : await fieldValue(tab, `[name=${painted[path] ?? 'trap'}]`);
      expectEqual(path, trap, '');
      if (path in HONEYPOTS) expectEqual(path, await fieldValue(tab, '[name=token]'), `${TOKEN}-SITE_TOKEN`);
      await popup.close();
    }
    expect(failures).toEqual([]);
  });

  it('focus Keysmith cannot fill fills nothing and offers the visible field by name; an image button tied to the form asks first', async () => {
    const home = await withVault();
    await sendFromPage(home, 'vault.create', {
      safeName: 'Personal',
      envName: 'Development',
      keyValuePairs: [{ key: 'SITE_TOKEN', value: `${TOKEN}-SITE_TOKEN`, autofill: [{ origin: sites.site, subdomains: false }] }],
    });
    const closed = await visit(`${sites.site}/focus-shadow-closed`);
    await closed.click('x-box');
    let popup = await clickToolbarButton(browser!, closed);
    await clickFill(popup);
    await popup.waitForText('inside a page component');
    await popup.waitForText('Fill the “Public comment” field instead?');
    expect(await fieldValue(closed, '[name=comment]')).toBe('');
    await popup.close();

    const editor = await visit(`${sites.site}/focus-editable`);
    await editor.click('#editor');
    popup = await clickToolbarButton(browser!, editor);
    await clickFill(popup);
    await popup.waitForText('in a rich-text editor');
    expect(await fieldValue(editor, '[name=comment]')).toBe('');
    await popup.click('Fill “Public comment”');
    await popup.waitForText('Filled SITE_TOKEN');
    expect(await fieldValue(editor, '[name=comment]')).toBe(`${TOKEN}-SITE_TOKEN`);
    await popup.close();

    const image = await visit(`${sites.site}/image-outside`);
    popup = await clickToolbarButton(browser!, image);
    await clickFill(popup);
    await popup.waitForText(`The form sends it to another site: ${sites.other}.`);
    expect(await fieldValue(image, '[name=token]')).toBe('');
  });
});
