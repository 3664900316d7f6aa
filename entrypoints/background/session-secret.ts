import { fromBase64, toBase64 } from '../../lib/crypto/encoding';
import type { SessionSecretStore } from '../../lib/vault/session-secret';

const SESSION_SECRET = 'keysmith-session-secret';

/**
 * The vault's session secret in `storage.session`: kept in memory by the browser, never written to
 * disk, gone when the browser quits, and readable only by the extension's own contexts (content
 * scripts are denied by default: https://developer.chrome.com/docs/extensions/reference/api/storage#property-session).
 * So a service worker stopped while idle wakes up unlocked, and a copy of the profile holds nothing.
 */
export function browserSessionStore(key = SESSION_SECRET): SessionSecretStore {
  return {
    async get() {
      const value = (await browser.storage.session.get(key))[key];
      return typeof value === 'string' ? fromBase64(value, 'session secret') : undefined;
    },
    set: (secret) => browser.storage.session.set({ [key]: toBase64(secret) }),
    clear: () => browser.storage.session.remove(key),
  };
}
