import { messenger } from '../../adapters/messenger';
import { ALLOWED_SENDERS, classifySender, dispatch, type RequestType } from '../../lib/messages';
import { createVaultHandlers } from '../../lib/vault-service';
import { openVault } from '../../lib/vault/vault';
import { createAutoLock } from './auto-lock';
import { createClipboardClearer } from './clipboard';

// Owns the vault: the unlocked keys never leave this worker. Pages ask through lib/messages.ts.
export default defineBackground(() => {
  const vaultReady = openVault();
  const self = { id: browser.runtime.id, origin: new URL(browser.runtime.getURL('/')).origin };
  const clipboard = createClipboardClearer();
  clipboard.register();

  const ready = vaultReady.then(async (vault) => {
    const autoLock = createAutoLock(vault);
    await autoLock.register();
    const handlers = createVaultHandlers(vault, {
      unlocked: autoLock.unlocked,
      locked: autoLock.locked,
      settingsChanged: autoLock.arm,
      scheduleClipboardClear: clipboard.schedule,
    });
    return { handlers, autoLock };
  });

  for (const type of Object.keys(ALLOWED_SENDERS) as RequestType[]) {
    messenger.onMessage(type, async ({ data, sender }) => {
      const { handlers, autoLock } = await ready;
      const kind = classifySender(sender, self);
      const reply = await dispatch(handlers, type, data as never, kind);
      // Any request from our own pages is activity: restart the idle timer (not after a lock).
      if (kind === 'extension-page' && type !== 'vault.lock' && reply.ok) await autoLock.arm();
      return reply as never;
    });
  }
});
