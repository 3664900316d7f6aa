import { UNLOCKED_SESSION_KEY } from '../../lib/messages/protocol';

const UNLOCKED = { 16: '/icon/16.png', 32: '/icon/32.png' };
const LOCKED = { 16: '/icon-locked/16.png', 32: '/icon-locked/32.png' };

/**
 * The toolbar button shows whether the vault is unlocked, and `onLocked` runs on every lock. It follows the "unlocked" mark in
 * storage.session, which every unlock sets and every lock (button, idle alarm, restore, browser
 * restart) removes, so no lock path can leave it showing "unlocked". The manifest's icon is the
 * locked one: a browser starts locked.
 */
export function followLockState(onLocked: () => Promise<void>): void {
  browser.storage.session.onChanged.addListener((changes) => {
    const change = changes[UNLOCKED_SESSION_KEY];
    if (!change) return;
    const unlocked = Boolean(change.newValue);
    if (!unlocked) void onLocked().catch(() => undefined);
    // The title says it in words too, for the tooltip and screen readers.
    void Promise.all([
      browser.action.setIcon({ path: unlocked ? UNLOCKED : LOCKED }),
      browser.action.setTitle({ title: browser.i18n.getMessage(unlocked ? 'actionUnlocked' : 'actionLocked') }),
    ]).catch(() => undefined);
  });
}
