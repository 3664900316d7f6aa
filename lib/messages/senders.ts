/**
 * Who may send each request. The background decides who is asking from what the browser attests
 * about the sender (`sender.id`, `sender.url`, `sender.tab`), never from fields in the message: a
 * compromised page or content script can write any message it likes (the "confused deputy" of
 * extension messaging; Chrome's "Stay secure" guide,
 * https://developer.chrome.com/docs/extensions/develop/security-privacy/stay-secure).
 */
import type { RequestType } from './protocol';

/** What the browser says about who sent a message. */
export type SenderKind = 'extension-page' | 'content-script' | 'unknown';

/**
 * Every request is for extension pages (popup, options) only. Content scripts get no vault
 * request at all: they can never list secrets, read a value or touch a key.
 */
const PAGES: readonly SenderKind[] = ['extension-page'];
export const ALLOWED_SENDERS: { readonly [T in RequestType]: readonly SenderKind[] } = {
  'vault.status': PAGES,
  'vault.open': PAGES,
  'vault.setup': PAGES,
  'vault.unlock': PAGES,
  'vault.lock': PAGES,
  'vault.changeMasterPassword': PAGES,
  'vault.setKdf': PAGES,
  'vault.getSettings': PAGES,
  'vault.updateSettings': PAGES,
  'vault.listSafes': PAGES,
  'vault.createSafe': PAGES,
  'vault.createEnvironment': PAGES,
  'vault.renameSafe': PAGES,
  'vault.deleteSafe': PAGES,
  'vault.updateEnvironment': PAGES,
  'vault.deleteEnvironment': PAGES,
  'vault.countSecrets': PAGES,
  'vault.listSecrets': PAGES,
  'vault.search': PAGES,
  'vault.revealSecret': PAGES,
  'vault.resolveSecret': PAGES,
  'vault.usedBy': PAGES,
  'vault.updateReferrers': PAGES,
  'vault.dueForRotation': PAGES,
  'vault.create': PAGES,
  'vault.update': PAGES,
  'vault.delete': PAGES,
  'vault.deleteById': PAGES,
  'vault.history': PAGES,
  'vault.revealVersion': PAGES,
  'vault.restoreVersion': PAGES,
  'vault.recentlyDeleted': PAGES,
  'vault.restoreDeleted': PAGES,
  'vault.deleteForever': PAGES,
  'vault.importDotenv': PAGES,
  'vault.exportDotenv': PAGES,
  'vault.exportBackup': PAGES,
  'vault.restoreBackup': PAGES,
  'import.preview': PAGES,
  'import.apply': PAGES,
  'clipboard.copy': PAGES,
  'fill.site': PAGES,
  'fill.fill': PAGES,
  'selection.view': PAGES,
  'selection.encrypt': PAGES,
  'selection.decrypt': PAGES,
  'selection.replace': PAGES,
  'selection.insert': PAGES,
  'sync.status': PAGES,
  'sync.createAccount': PAGES,
  'sync.signIn': PAGES,
  'sync.now': PAGES,
  'sync.signOut': PAGES,
  'sync.adoptPassword': PAGES,
  'sync.deleteAccount': PAGES,
  'sync.earlierVersions': PAGES,
  'sync.conflicts': PAGES,
  'sync.resolve': PAGES,
  'sync.wipe': PAGES,
};

/** The fields of `runtime.MessageSender` the decision rests on. */
export interface AttestedSender {
  id?: string | undefined;
  url?: string | undefined;
  origin?: string | undefined;
  tab?: { id?: number | undefined; url?: string | undefined } | undefined;
  frameId?: number | undefined;
}

/**
 * Classifies a sender from browser-attested fields only.
 * An extension page is a document of this extension: same extension id and a URL under our own
 * origin. Our pages are not web-accessible and forbid framing (CSP frame-ancestors 'none'), so a
 * web page cannot host one. A content script runs in a web page's tab under the page's URL.
 */
export function classifySender(sender: AttestedSender, self: { id: string; origin: string }): SenderKind {
  if (sender.id !== self.id) return 'unknown';
  const url = sender.url ?? '';
  if (url.startsWith(`${self.origin}/`)) return 'extension-page';
  if (sender.tab && /^https?:\/\//.test(url)) return 'content-script';
  return 'unknown';
}
