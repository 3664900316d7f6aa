import type { ConsoleMessage, Page } from '@playwright/test';
import { expect, test } from './fixtures';

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
