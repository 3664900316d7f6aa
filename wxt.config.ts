import { defineConfig } from 'wxt';

// Extension pages may run only our own bundled code: no eval, no remote scripts, no plugins,
// no <base> rewriting, no form posts, and no framing by other pages (clickjacking).
// MV3 refuses anything weaker than script-src 'self'; the rest tightens the default.
// https://developer.chrome.com/docs/extensions/reference/manifest/content-security-policy
const EXTENSION_PAGES_CSP =
  "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'; img-src 'self' data:; style-src 'self'";

export default defineConfig({
  modules: ['@wxt-dev/module-react', '@wxt-dev/webextension-polyfill'],
  manifest: ({ browser }) => ({
    name: 'Keysmith',
    description: 'Generate, encrypt and keep developer secrets: API keys, tokens, key pairs.',
    // No permissions yet: the generator and encrypt tools run entirely inside the popup.
    permissions: [],
    content_security_policy: { extension_pages: EXTENSION_PAGES_CSP },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'keysmith@keysmith.dev',
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
