import type { Vault } from '../../lib/vault/vault';

const ALARM = 'keysmith-auto-lock';
const SESSION_MARK = 'keysmith-unlocked-this-session';

/**
 * Locks the vault after `autoLockMinutes` without activity from Keysmith's pages, and always on
 * browser restart. The unlocked keys live in IndexedDB, which outlives the browser, so "restart"
 * is detected twice over: runtime.onStartup, and a mark in storage.session (memory-only, cleared
 * when the browser quits), checked each time the service worker starts.
 */
export function createAutoLock(vault: Vault) {
  async function arm() {
    const { autoLockMinutes } = await vault.getSettings();
    await browser.alarms.clear(ALARM);
    if (autoLockMinutes !== null && (await vault.isUnlocked())) {
      await browser.alarms.create(ALARM, { delayInMinutes: autoLockMinutes });
    }
  }

  async function lockNow() {
    await vault.lock();
    await browser.alarms.clear(ALARM);
    await browser.storage.session.remove(SESSION_MARK);
  }

  return {
    arm,
    lockNow,
    async unlocked() {
      await browser.storage.session.set({ [SESSION_MARK]: true });
      await arm();
    },
    async locked() {
      await browser.alarms.clear(ALARM);
      await browser.storage.session.remove(SESSION_MARK);
    },
    /**
     * Wires the listeners, then settles the restart check. The background must await the returned
     * promise before it handles any request: an unlock that ran before the check finished would
     * otherwise be taken for a leftover from the last browser session and locked again at once.
     */
    async register() {
      browser.alarms.onAlarm.addListener((alarm) => {
        if (alarm.name === ALARM) void lockNow();
      });
      browser.runtime.onStartup.addListener(() => void lockNow());
      const mark = await browser.storage.session.get(SESSION_MARK);
      if (!mark[SESSION_MARK] && (await vault.isUnlocked())) await lockNow();
    },
  };
}
