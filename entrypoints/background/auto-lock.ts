import { UNLOCKED_SESSION_KEY } from '../../lib/messages/protocol';
import type { Vault } from '../../lib/vault/vault';

export const AUTO_LOCK_ALARM = 'keysmith-auto-lock';
const SESSION_MARK = UNLOCKED_SESSION_KEY;
const LOCK_AT = 'keysmith-lock-at';

/**
 * Locks the vault after `autoLockMinutes` without activity from Keysmith's pages. A browser restart
 * locks by itself: the session secret lives in storage.session, which the browser drops when it
 * quits. The lock deadline lives there too; `lockIfDue` checks it before every request, so the
 * vault locks even if the alarm was missed, and the alarm locks it when nobody asks. The
 * "unlocked" mark in storage.session is only a signal for pages (see UNLOCKED_SESSION_KEY).
 */
export function createAutoLock(vault: Vault, now: () => number = Date.now, onLock: () => Promise<void> = async () => {}) {
  async function lockNow() {
    await vault.lock();
    await browser.alarms.clear(AUTO_LOCK_ALARM);
    await browser.storage.session.remove([SESSION_MARK, LOCK_AT]);
    await onLock();
  }

  /** (Re)starts the idle countdown; called after unlock and after every request from our pages. */
  async function arm() {
    await browser.alarms.clear(AUTO_LOCK_ALARM);
    const autoLockMinutes = (await vault.isUnlocked()) ? (await vault.getSettings()).autoLockMinutes : null;
    if (autoLockMinutes === null) {
      await browser.storage.session.remove(LOCK_AT);
      return;
    }
    const lockAt = now() + autoLockMinutes * 60_000;
    await browser.storage.session.set({ [LOCK_AT]: lockAt });
    await browser.alarms.create(AUTO_LOCK_ALARM, { when: lockAt });
  }

  /**
   * Locks a vault past its deadline. The background awaits this before it handles any request.
   * Only the deadline counts, never the absence of the pages' mark: a request that arrives while
   * an unlock is finishing (keys installed, mark not yet set) must not lock that unlock again.
   */
  async function lockIfDue() {
    const lockAt = (await browser.storage.session.get(LOCK_AT))[LOCK_AT];
    if (typeof lockAt !== 'number') return;
    if (!(await vault.isUnlocked()))
      await browser.storage.session.remove(LOCK_AT); // a leftover
    else if (now() >= lockAt) await lockNow();
  }

  // Activity restarts the countdown at most every few seconds: a burst of requests (the popup
  // opening, search, reveal) needs one re-arm, and lock timing is measured in minutes.
  const ACTIVITY_RESOLUTION_MS = 5_000;
  let lastArmed = -Infinity;
  async function activity() {
    if (now() - lastArmed < ACTIVITY_RESOLUTION_MS) return;
    lastArmed = now();
    await arm();
  }

  return {
    arm,
    activity,
    lockNow,
    lockIfDue,
    async unlocked() {
      await browser.storage.session.set({ [SESSION_MARK]: true });
      await arm();
    },
    async locked() {
      await browser.alarms.clear(AUTO_LOCK_ALARM);
      await browser.storage.session.remove([SESSION_MARK, LOCK_AT]);
      await onLock();
    },
  };
}
