import { fillById, type PageHooks } from '../../lib/messages/handlers';
import type { Handlers } from '../../lib/messages/dispatch';
import type { Vault } from '../../lib/vault/vault';
import type { createSelectionMenu } from './selection-menu';

interface Parts {
  vault: Vault;
  handlers: Handlers;
  page: PageHooks;
  menu: ReturnType<typeof createSelectionMenu>;
}

/**
 * The keyboard shortcuts (the manifest's `commands`). A shortcut is the user's gesture in the
 * browser's own UI, like a toolbar click: it grants activeTab on the tab the browser names, and
 * acts on that tab. Whenever a shortcut cannot finish on its own (vault locked, nothing for this
 * site, something to confirm, no encryption key, a selection that is not in a field the user can
 * see), it opens Keysmith where the user can, instead of guessing.
 */
export async function runCommand(
  command: string,
  tab: Browser.tabs.Tab | undefined,
  { vault, handlers, page, menu }: Parts,
): Promise<void> {
  if (tab?.id === undefined) return;
  if (command === 'fill-best-match') {
    const origin = tab.url ? new URL(tab.url).origin : undefined;
    const best = origin && (await vault.isUnlocked()) ? (await vault.forSite(origin))[0] : undefined;
    const outcome = best ? await fillById(vault, page, best.id, {}, tab.id).catch(() => undefined) : undefined;
    if (!outcome?.filled) await browser.action.openPopup().catch(() => undefined);
  } else if (command === 'encrypt-selection') {
    const job = await menu.start('encrypt', tab.id, 'focused');
    const [key] = (await vault.isUnlocked()) ? await vault.encryptionKeys() : [];
    // Straight into the page only from a field the user sees and focused; anything else shows the text first.
    const done =
      key && job.editable && job.text.trim()
        ? await handlers['selection.encrypt']({ jobId: job.id, keyId: key.id }).catch(() => undefined)
        : undefined;
    if (!done) await menu.openWindow(job);
  }
}
