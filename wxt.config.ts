import { defineConfig } from 'wxt';

// Extension pages may run only our own bundled code: no eval, no remote scripts, no plugins,
// no <base> rewriting, no form posts, and no framing by other pages (clickjacking).
// MV3 refuses anything weaker than script-src 'self'; the rest tightens the default.
// 'wasm-unsafe-eval' lets our own bundled WebAssembly (Argon2id, hash-wasm) compile; it allows
// no JavaScript eval. https://developer.chrome.com/docs/extensions/reference/manifest/content-security-policy
// connect-src: the sync server the user names, which is https (and wss, for its live updates) anywhere,
// or plain http/ws on this machine only (lib/sync/account.ts checkServerUrl refuses anything else before
// a request is made). An IPv6 literal such as http://[::1]:* is no valid CSP source (CSP3's host-source
// grammar has no brackets): Chromium logs an error for it on every page and ignores it, so a server on
// this machine is reached by 127.0.0.1 or localhost.
const EXTENSION_PAGES_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'; img-src 'self' data:; style-src 'self'; " +
  "connect-src 'self' https: wss: http://127.0.0.1:* http://localhost:* ws://127.0.0.1:* ws://localhost:*";

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  // `npm run zip`: the store packages, and for Firefox the sources AMO reviewers rebuild it from
  // (WXT already leaves out node_modules, tests and .output; the server and bench are not the add-on).
  zip: {
    excludeSources: [
      'server/**',
      'bench/**',
      'tests/**',
      'data/**',
      'docs/server.md',
      'playwright.config.ts',
      'vitest.config.ts',
      'test-results/**',
    ],
  },
  manifest: ({ browser }) => ({
    // Words come from public/_locales in the browser's language (English where one is missing).
    default_locale: 'en',
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    // storage: storage.session marks "unlocked in this browser session" (cleared on restart).
    // alarms: auto-lock and clipboard clearing survive the service worker being stopped.
    // clipboardWrite (+ offscreen on Chrome): copy a secret and clear it after the configured delay;
    // clipboardRead: clear it only while it is still what Keysmith wrote, never what the user copied since.
    // contextMenus: encrypt, decrypt or insert at a selection (fixed titles: see selection-menu.ts).
    // activeTab + scripting: fill the tab the user opened Keysmith on, and only that tab, only then
    // (no content script is declared and no host is granted: a page never hosts Keysmith's code
    // until the user acts, and then only the frame that gets the secret receives it).
    permissions: [
      'storage',
      'alarms',
      'clipboardWrite',
      'clipboardRead',
      'activeTab',
      'scripting',
      'contextMenus',
      ...(browser === 'firefox' ? [] : ['offscreen']),
    ],
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    // Keyboard shortcuts, changeable at the browser's shortcuts page (listed in Settings).
    commands: {
      _execute_action: { suggested_key: { default: 'Alt+Shift+K' }, description: '__MSG_cmdOpen__' },
      'fill-best-match': { suggested_key: { default: 'Alt+Shift+F' }, description: '__MSG_cmdFill__' },
      'encrypt-selection': { suggested_key: { default: 'Alt+Shift+E' }, description: '__MSG_cmdEncrypt__' },
    },
    // The toolbar button starts locked (entrypoints/background/toolbar-icon.ts); icons/*.svg are the
    // sources of public/icon*/ (node scripts/icons.mjs).
    action: { default_icon: { 16: '/icon-locked/16.png', 32: '/icon-locked/32.png' } },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // 140 is the current ESR (Debian's firefox-esr); data_collection_permissions came to
            // desktop in 140 and to Android in 142.
            gecko: {
              id: 'keysmith@keysmith.dev',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
