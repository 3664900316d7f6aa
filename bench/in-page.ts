/**
 * In-page benchmark in real Chromium: `npx tsx bench/in-page.ts` after `npx wxt build`.
 * What a user waits for when Keysmith writes into a page: the popup's Fill until the value is in the
 * field, the right-click Encrypt (Keysmith's window) until the ciphertext replaces the selection,
 * and the encrypt shortcut until the same. Request timings come from the extension page's own clock
 * (performance.now around the request, which returns once the page was written); the shortcut,
 * which has no page of ours, is timed from Node until the field changes (it includes Playwright's
 * round trips, so it is an upper bound).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { extensionIdOf, launchWithExtension } from '../tests/e2e/fixtures';
import { chooseMenuItem, clickToolbarButton, IN_PAGE_ARGS, openPopupOn, pressShortcut } from '../tests/e2e/pages/site-popup';
import { sendFromPage } from '../tests/e2e/pages/vault';
import { serveSites } from '../tests/e2e/sites';

const RUNS = 20;
const pct = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;
const row = (what: string, values: number[]) =>
  `| ${what} | ${pct(values, 50).toFixed(1)} ms | ${pct(values, 95).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms |`;

/** One request from an extension page, timed on that page's clock. */
function timed(page: Page, type: string, data: unknown): Promise<number> {
  return page.evaluate(
    async ([type, data]) => {
      const chrome = (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ res: { ok: boolean; error?: unknown } }> } } }
      ).chrome;
      const started = performance.now();
      const reply = await chrome.runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() });
      if (!reply.res.ok) throw new Error(JSON.stringify(reply.res.error));
      return performance.now() - started;
    },
    [type, data] as const,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'keysmith-bench-in-page-'));
const sites = await serveSites();
const context = await launchWithExtension(dir, 'en-US', IN_PAGE_ARGS);
try {
  const extensionId = await extensionIdOf(context);
  // tsx (esbuild, keepNames) wraps the test helpers' in-browser functions in __name(); define it there.
  await context.serviceWorkers()[0]!.evaluate('globalThis.__name = (fn) => fn');
  const home = await context.newPage();
  await home.goto(`chrome-extension://${extensionId}/popup.html`);
  await sendFromPage(home, 'vault.setup', {
    masterPassword: 'bench master password 42',
    kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000 },
  });
  const [token] = await sendFromPage<{ id: string }[]>(home, 'vault.create', {
    safeName: 'Personal',
    envName: 'Development',
    keyValuePairs: [
      { key: 'SITE_TOKEN', value: 'tok_bench_1', autofill: [{ origin: sites.site, subdomains: false }] },
      { key: 'TEAM_KEY', value: randomBytes(32).toString('hex'), encryptionKey: true },
    ],
  });

  // Popup Fill → value in the field.
  const login = await context.newPage();
  await login.goto(`${sites.site}/login`);
  const popup = await openPopupOn(context, extensionId, login);
  await popup.page.getByRole('button', { name: 'Fill SITE_TOKEN into the page' }).waitFor();
  const fills: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await login.locator('[name=token]').fill('');
    fills.push(await timed(popup.page, 'fill.fill', { id: token!.id }));
    if ((await login.locator('[name=token]').inputValue()) !== 'tok_bench_1') throw new Error('the fill did not reach the field');
  }

  // Right-click Encrypt: the window's Encrypt → ciphertext in place of the selection.
  const editor = await context.newPage();
  await editor.goto(`${sites.site}/editor`);
  const notes = editor.locator('[name=notes]');
  const menu: number[] = [];
  const shortcut: number[] = [];
  const keyId = (
    await sendFromPage<{ id: string }[]>(home, 'vault.search', { query: 'TEAM_KEY' }).then(
      (r) => (r as unknown as { hits: { id: string }[] }).hits,
    )
  )[0]!.id;
  for (let i = 0; i < RUNS; i++) {
    await notes.fill(`note number ${i}`);
    await notes.selectText();
    const window = await chooseMenuItem(context, extensionId, editor, 'keysmith-encrypt', { editable: true });
    const jobId = new URL(window.url()).hash.slice(1);
    menu.push(await timed(window, 'selection.encrypt', { jobId, keyId }));
    if (!(await notes.inputValue()).startsWith('{"ciphertext"')) throw new Error('the selection was not replaced');
    await window.close();

    await notes.fill(`note number ${i}`);
    await notes.selectText();
    await clickToolbarButton(context, extensionId, editor); // the grant a shortcut brings, before the clock starts
    const started = performance.now();
    await pressShortcut(context, extensionId, editor, 'encrypt-selection', false);
    await editor.waitForFunction(() => (document.querySelector('[name=notes]') as HTMLTextAreaElement).value.startsWith('{'), undefined, {
      polling: 'raf',
    });
    shortcut.push(performance.now() - started);
  }

  console.log(
    [
      `| In the page (Chromium, ${RUNS} runs) | median | p95 | max |`,
      '| --- | --- | --- | --- |',
      row('popup Fill → value in the field', fills),
      row('right-click Encrypt (window) → selection replaced', menu),
      row('encrypt shortcut → selection replaced (from Node, upper bound)', shortcut),
    ].join('\n'),
  );
} finally {
  await context.close();
  await sites.close();
  rmSync(dir, { recursive: true, force: true });
}
