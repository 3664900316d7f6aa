import { UNLOCKED_SESSION_KEY } from '../../lib/messages';
import type { Vault } from '../../lib/vault/vault';

export const AUTO_LOCK_ALARM = 'keysmith-auto-lock';
const SESSION_MARK = UNLOCKED_SESSION_KEY;
const LOCK_AT = 'keysmith-lock-at';

/**
 * Locks the vault after `autoLockMinutes` without activity from Keysmith's pages, and always on
 * browser restart. The unlocked keys live in IndexedDB, which outlives the browser, so two facts
 * are kept in storage.session (memory-only, gone when the browser quits): "unlocked in this browser
 * session" and the lock deadline. `lockIfDue` checks both before every request, so the vault locks
 * even if the alarm was missed; the alarm locks it when nobody asks.
 */
export function createAutoLock(vault: Vault, now: () => number = Date.now) {
  async function lockNow() {
    await vault.lock();
    await browser.alarms.clear(AUTO_LOCK_ALARM);
    await browser.storage.session.remove([SESSION_MARK, LOCK_AT]);
  }

  /** (Re)starts the idle countdown; called after unlock and after every request from our pages. */
  async function arm() {
    const { autoLockMinutes } = await vault.getSettings();
    await browser.alarms.clear(AUTO_LOCK_ALARM);
    if (autoLockMinutes === null || !(await vault.isUnlocked())) {
      await browser.storage.session.remove(LOCK_AT);
      return;
    }
    const lockAt = now() + autoLockMinutes * 60_000;
    await browser.storage.session.set({ [LOCK_AT]: lockAt });
    await browser.alarms.create(AUTO_LOCK_ALARM, { when: lockAt });
  }

  /**
   * Locks a vault left unlocked by an earlier browser session (no mark) or past its deadline.
   * The background awaits this before it handles any request, so an unlock can never be
   * mistaken for a leftover and locked again at once.
   */
  async function lockIfDue() {
    const state = await browser.storage.session.get([SESSION_MARK, LOCK_AT]);
    const lockAt = state[LOCK_AT];
    const due = !state[SESSION_MARK] || (typeof lockAt === 'number' && now() >= lockAt);
    if (due && (await vault.isUnlocked())) await lockNow();
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
    },
  };
}
