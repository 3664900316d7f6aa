import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsoleMessage, Page } from '@playwright/test';
import { freePort } from '../free-port';
import { expect, test } from './fixtures';
import { sendFromPage, VaultPage } from './pages/vault';
import { startServer } from './server-process';
import { MASTER, stopServer } from './sync-devices';

// Every extension page opens without a console error or warning: a new user with DevTools open, and a
// store reviewer, sees none. Chromium reports a malformed manifest CSP (an invalid source such as
// `http://[::1]:*`) as a console error on every page that applies it.
const PAGES: { path: string; ready: (page: Page) => Promise<void> }[] = [
  { path: 'popup.html', ready: (page) => expect(page.getByRole('heading', { name: 'Keysmith' })).toBeVisible() },
  { path: 'options.html', ready: (page) => expect(page.getByRole('heading', { name: 'Keysmith' }).first()).toBeVisible() },
  // The right-click window with no job behind its id says so in words.
  {
    path: 'selection.html#no-such-job',
    ready: (page) => expect(page.getByRole('alert').or(page.getByRole('heading')).first()).toBeVisible(),
  },
  // Chrome's clipboard document, opened as a tab: its script loads and waits for the background.
  { path: 'offscreen.html', ready: (page) => expect(page.getByLabel('Clipboard scratch area')).toBeAttached() },
];

function recordProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return problems;
}

for (const { path, ready } of PAGES) {
  test(`${path} logs no console error or warning`, async ({ context, extensionId }) => {
    const page = await context.newPage();
    const problems = recordProblems(page);
    await page.goto(`chrome-extension://${extensionId}/${path}`);
    await ready(page);
    // Messages from start-up arrive after the first paint; one more frame and a short settle catches them.
    await page.waitForTimeout(300);
    expect(problems).toEqual([]);
  });
}

// The pages a syncing user opens every day: the popup and Settings of an unlocked vault linked to a
// real server (sync line, account section), opened after the first sync. The worker that holds the
// live connection is not recorded here.
// Starting the server and deriving the account's keys takes most of the time.
test('popup.html and options.html of an unlocked, synced vault log no console error or warning', async ({ context, extensionId }) => {
  test.setTimeout(120_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'keysmith-console-server-'));
  const port = await freePort();
  const server = await startServer(port, dataDir);
  try {
    const setup = await VaultPage.open(await context.newPage(), extensionId);
    await setup.setup(MASTER);
    await setup.addSecret({ key: 'API_TOKEN', value: 'tok-1' });
    await sendFromPage(setup.page, 'sync.createAccount', {
      serverUrl: `http://127.0.0.1:${port}`,
      email: 'console@example.test',
      masterPassword: MASTER,
    });
    await setup.page.close();

    const popup = await context.newPage();
    const popupProblems = recordProblems(popup);
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(popup.getByRole('status', { name: 'Account & sync' })).toContainText('Synced at');
    await expect(popup.getByRole('listbox', { name: 'Secrets' }).getByRole('option', { name: 'API_TOKEN' })).toBeVisible();

    const options = await context.newPage();
    const optionsProblems = recordProblems(options);
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(options.getByRole('list', { name: 'Sync status' })).toContainText('Synced at');
    await popup.waitForTimeout(300);
    expect(popupProblems).toEqual([]);
    expect(optionsProblems).toEqual([]);
  } finally {
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
