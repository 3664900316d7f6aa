import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR, expect, test } from './fixtures';

test('the service worker starts and the manifest asks only for what it uses', async ({ context, extensionId }) => {
  expect(extensionId).toMatch(/^[a-p]{32}$/);
  const worker = context.serviceWorkers()[0]!;
  type Chrome = { runtime: { getManifest(): { manifest_version: number } } };
  const version = await worker.evaluate(() => (globalThis as unknown as { chrome: Chrome }).chrome.runtime.getManifest().manifest_version);
  expect(version).toBe(3);

  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
  // storage: the session secret and marks; alarms: auto-lock and clipboard timers; clipboardWrite +
  // offscreen: copying and clearing a secret; clipboardRead: clearing only what Keysmith wrote;
  // activeTab + scripting + contextMenus: the page the user acts on, only when they act there.
  // No host permissions and no content scripts: no page is read otherwise.
  expect([...manifest.permissions].sort()).toEqual([
    'activeTab',
    'alarms',
    'clipboardRead',
    'clipboardWrite',
    'contextMenus',
    'offscreen',
    'scripting',
    'storage',
  ]);
  expect(Object.keys(manifest.commands).sort()).toEqual(['_execute_action', 'encrypt-selection', 'fill-best-match']);
  expect(manifest.host_permissions ?? []).toEqual([]);
  expect(manifest.content_scripts ?? []).toEqual([]);
  expect(manifest.web_accessible_resources ?? []).toEqual([]);
  // Our own WebAssembly (Argon2id) may compile; JavaScript eval stays forbidden.
  expect(manifest.content_security_policy.extension_pages).toMatch(/script-src 'self' 'wasm-unsafe-eval';/);
  expect(manifest.content_security_policy.extension_pages).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
  expect(manifest.content_security_policy.extension_pages).toMatch(/object-src 'none'/);
});

test('the popup refuses inline script, as its CSP says', async ({ context, extensionId }) => {
  const page = await context.newPage();
  const violations: string[] = [];
  page.on('console', (message) => violations.push(message.text()));
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(page.getByRole('heading', { name: 'Keysmith' })).toBeVisible();
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inline = true';
    document.body.append(script);
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(ran).toBe(false);
  expect(violations.join('\n')).toMatch(/Content Security Policy/);
});
