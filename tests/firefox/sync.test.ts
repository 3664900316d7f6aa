// Sync in real Firefox: two profiles and the sync server over real HTTP on 127.0.0.1. What differs
// from Chromium is exercised here: moz-extension:// origins (CORS, the CSP's connect-src), the
// background page instead of a service worker, storage.session holding the sync credentials.
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open';
import { createServer, type KeysmithServer } from '../../server/server';
import type { Database } from '../../server/db/types';
import { testConfig } from '../server/helpers/harness';
import { control, fill, launchFirefox, MASTER, openExtensionPage, sendFromPage, setUpVault, waitForText } from './firefox';

let database: Database;
let server: KeysmithServer;
let serverUrl: string;
const browsers: Browser[] = [];

beforeAll(async () => {
  database = await openDatabase({ dataDir: null });
  server = await createServer({ database, config: testConfig() });
  serverUrl = (await server.listen(0, '127.0.0.1')).url;
});
afterAll(async () => {
  for (const browser of browsers) await browser.close().catch(() => undefined);
  await server?.close();
  await database?.close();
});

const DEV = { safeName: 'Personal', envName: 'Development' };
const EMAIL = 'firefox@example.test';

async function valueOfKey(page: Page, key: string): Promise<string> {
  const { hits } = await sendFromPage<{ hits: { id: string; key: string }[] }>(page, 'vault.search', { query: key });
  const id = hits.find((h) => h.key === key)?.id;
  if (!id) return '(not listed)';
  return (await sendFromPage<{ value: string }>(page, 'vault.revealSecret', { id })).value;
}

it('an account made in Options on one profile; a second profile signs in; an edit on either reaches the other', async () => {
  const a = await launchFirefox();
  browsers.push(a);
  const popupA = await openExtensionPage(a, '/popup.html');
  await setUpVault(popupA);
  await sendFromPage(popupA, 'vault.create', { ...DEV, keyValuePairs: { FROM_FIREFOX_A: 'a-1' } });

  // Options → Account & sync → Create account, as a user fills it in.
  const options = await openExtensionPage(a, '/options.html', 'Keysmith settings');
  const form = 'Create a sync account';
  await fill(options, 'Server address', serverUrl, form);
  await fill(options, 'E-mail', EMAIL, form);
  await fill(options, 'Current master password', MASTER, form);
  await (await control(options, 'Create account', 20_000, form)).click();
  await waitForText(options, 'Synced at', 30_000);

  // The second profile: first run → Sign in to a sync server.
  const b = await launchFirefox();
  browsers.push(b);
  const popupB = await openExtensionPage(b, '/popup.html');
  await (await control(popupB, 'Sign in to a sync server')).click();
  const signIn = 'Sign in to a sync server';
  await fill(popupB, 'Server address', serverUrl, signIn);
  await fill(popupB, 'E-mail', EMAIL, signIn);
  await fill(popupB, 'Master password', MASTER, signIn);
  await (await control(popupB, 'Sign in', 20_000, signIn)).click();
  await waitForText(popupB, 'FROM_FIREFOX_A', 30_000);
  expect(await valueOfKey(popupB, 'FROM_FIREFOX_A')).toBe('a-1');

  // An edit and a new secret on B reach A's open popup by themselves: B's background sends them, the
  // server pokes A's background over its live connection (a WebSocket in an event page), A pulls.
  // Neither page asks for a sync. A lock on B drops its sync credentials with the keys.
  await sendFromPage(popupB, 'vault.update', { ...DEV, key: 'FROM_FIREFOX_A', value: 'b-2' });
  await sendFromPage(popupB, 'vault.create', { ...DEV, keyValuePairs: { FROM_FIREFOX_B: 'b-1' } });
  await waitForText(popupA, 'FROM_FIREFOX_B', 10_000);
  expect(await sendFromPage(popupA, 'sync.status')).toMatchObject({ waiting: 0, conflicts: 0 });
  expect(await valueOfKey(popupA, 'FROM_FIREFOX_A')).toBe('b-2');
  expect(await valueOfKey(popupA, 'FROM_FIREFOX_B')).toBe('b-1');

  const credentials = () =>
    popupB.evaluate(async () => {
      const session = (globalThis as unknown as { browser: { storage: { session: { get(k: string): Promise<Record<string, unknown>> } } } })
        .browser.storage.session;
      return (await session.get('keysmith-sync-credentials'))['keysmith-sync-credentials'] !== undefined;
    });
  expect(await credentials()).toBe(true);
  await sendFromPage(popupB, 'vault.lock');
  expect(await credentials()).toBe(false);
}, 180_000);
