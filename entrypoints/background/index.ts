import { messenger } from '../../adapters/messenger';
import { dispatch } from '../../lib/messages/dispatch';
import { createHandlers } from '../../lib/messages/handlers';
import type { RequestType } from '../../lib/messages/protocol';
import { ALLOWED_SENDERS, classifySender } from '../../lib/messages/senders';
import { openVault } from '../../lib/vault/vault';
import { defaultDeviceName } from '../../lib/vault/device-name';
import { AUTO_LOCK_ALARM, createAutoLock } from './auto-lock';
import { CLIPBOARD_ALARM, createClipboard } from './clipboard';
import { createPageFill } from './page-fill';
import { createSelectionMenu } from './selection-menu';
import { runCommand } from './commands';
import { browserSessionStore } from './session-secret';
import { followLockState } from './toolbar-icon';
import { createSync, SYNC_ALARM } from './sync';
import { createRotationBadge, ROTATION_ALARM } from './rotation-badge';
import { SYNC_TRIGGERS } from '../../lib/messages/sync-handlers';

// Owns the vault: the unlocked keys never leave this worker. Pages ask through lib/messages/.
export default defineBackground(() => {
  const self = { id: browser.runtime.id, origin: new URL(browser.runtime.getURL('/')).origin };
  const clipboard = createClipboard();
  const menu = createSelectionMenu();
  const page = createPageFill();

  const ready = openVault({ session: browserSessionStore(), deviceName: defaultDeviceName(navigator.userAgent) }).then(async (vault) => {
    // Every lock also takes a copied secret off the clipboard (if it is still ours).
    const autoLock = createAutoLock(vault, Date.now, clipboard.clear);
    await autoLock.lockIfDue(); // before any request: see createAutoLock
    const sync = createSync(vault);
    const rotation = createRotationBadge(vault);
    const handlers = createHandlers(vault, {
      unlocked: async () => {
        await autoLock.unlocked();
        await sync.arm();
        await rotation.arm();
        rotation.afterUnlock();
        sync.follow();
      },
      locked: autoLock.locked,
      settingsChanged: autoLock.arm,
      copyToClipboard: clipboard.copy,
      page,
      selection: menu.hooks,
      sync: { engine: sync.engine, changed: () => sync.soon() },
    });
    sync.follow(); // a worker that was stopped while unlocked connects again
    sync.publish();
    return { handlers, autoLock, vault, sync, rotation };
  });

  // MV3 delivers the event that woke a stopped worker only to listeners added synchronously
  // during its first run (https://developer.chrome.com/docs/extensions/develop/concepts/service-workers/events),
  // so every listener is added here, before anything is awaited.
  browser.alarms.onAlarm.addListener(async (alarm) => {
    if (alarm.name === AUTO_LOCK_ALARM) await (await ready).autoLock.lockNow();
    if (alarm.name === CLIPBOARD_ALARM) await clipboard.clear();
    if (alarm.name === SYNC_ALARM) await (await ready).sync.alarm();
    if (alarm.name === ROTATION_ALARM) await (await ready).rotation.check();
  });
  browser.runtime.onStartup.addListener(async () => (await ready).autoLock.lockNow());
  // Every lock, whichever way it came, also drops the right-click jobs (selected and decrypted text)
  // and the sync account's auth secret and token.
  followLockState(async () => {
    await menu.locked();
    await (await ready).sync.locked();
    await (await ready).rotation.check();
  });
  browser.runtime.onInstalled.addListener(menu.install);
  browser.contextMenus.onClicked.addListener((info, tab) => void menu.clicked(info, tab));
  browser.windows.onRemoved.addListener((windowId) => void menu.windowClosed(windowId));
  browser.commands.onCommand.addListener(async (command, tab) => {
    const { handlers, vault } = await ready;
    await runCommand(command, tab, { vault, handlers, page, menu });
  });

  for (const type of Object.keys(ALLOWED_SENDERS) as RequestType[]) {
    messenger.onMessage(type, async ({ data, sender }) => {
      const { handlers, autoLock } = await ready;
      const kind = classifySender(sender, self);
      if (kind === 'extension-page') await autoLock.lockIfDue();
      const reply = await dispatch(handlers, type, data as never, kind);
      // A change, an unlock or a page opening: sync soon (a page opening at once, to show what changed elsewhere).
      if (reply.ok && SYNC_TRIGGERS.has(type)) (await ready).sync.soon(type === 'vault.open' ? 0 : undefined);
      // A change (a date set, a secret rotated) or an opening may change what is due: count again.
      if (reply.ok && SYNC_TRIGGERS.has(type) && type !== 'vault.unlock') void (await ready).rotation.check();
      // What the status shows may have changed (an edit waiting, an account linked or gone): pages follow storage.session.
      if (SYNC_TRIGGERS.has(type) || type.startsWith('sync.')) {
        const { sync } = await ready;
        if (type === 'sync.signIn' || type === 'sync.createAccount' || type === 'sync.signOut' || type === 'sync.adoptPassword')
          sync.follow();
        sync.publish();
      }
      // Any request from our own pages is activity: restart the idle timer (not after a lock),
      // after replying, so the bookkeeping never delays what the user waits for.
      // A page reading the status as it opens is not the user's activity.
      if (kind === 'extension-page' && type !== 'vault.lock' && type !== 'sync.status' && reply.ok) void autoLock.activity();
      return reply as never;
    });
  }
});
