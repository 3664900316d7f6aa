import type { Handlers } from '../../lib/messages/dispatch';
import type { Vault } from '../../lib/vault/vault';
import type { createSelectionMenu } from './selection-menu';

interface Parts {
  vault: Vault;
  handlers: Handlers;
  menu: ReturnType<typeof createSelectionMenu>;
}

/**
 * The keyboard shortcuts (the manifest's `commands`). A shortcut is the user's gesture in the
 * browser's own UI, like a toolbar click: it grants activeTab on the tab. Whenever a shortcut cannot
 * finish on its own (vault locked, nothing for this site, something to confirm, no encryption key),
 * it opens Keysmith where the user can, instead of guessing.
 */
export async function runCommand(command: string, tab: Browser.tabs.Tab | undefined, { vault, handlers, menu }: Parts): Promise<void> {
  if (tab?.id === undefined) return;
  if (command === 'fill-best-match') {
    const site = await handlers['fill.site'](undefined).catch(() => undefined);
    const best = site?.hits[0];
    const outcome = best ? await handlers['fill.fill']({ id: best.id }).catch(() => undefined) : undefined;
    if (!outcome?.filled) await browser.action.openPopup().catch(() => undefined);
  } else if (command === 'encrypt-selection') {
    const job = await menu.start('encrypt', tab.id, 'focused');
    const [key] = (await vault.isUnlocked()) ? await vault.encryptionKeys() : [];
    const done = key && job.text.trim() ? await handlers['selection.encrypt']({ jobId: job.id, keyId: key.id }).catch(() => undefined) : undefined;
    if (!done) await menu.openWindow(job.id);
  }
}
