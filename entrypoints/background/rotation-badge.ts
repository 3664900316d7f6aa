import type { Vault } from '../../lib/vault/vault';

export const ROTATION_ALARM = 'keysmith-rotation';
const DAY_MINUTES = 24 * 60;

/**
 * The toolbar badge counts the secrets due for rotation: a number only, never a name, since the
 * badge is drawn by the browser for anyone at the screen, unlocked or not. Only an unlocked vault
 * can open the metas that hold the dates, so while locked the badge shows nothing (not a stale count).
 * An alarm checks once a day, just after local midnight, whether or not a Keysmith page is open;
 * a page opening, lock and every change check too. After an unlock the check waits a few seconds:
 * counting reads every environment's names, which must not compete with the unlock itself or the
 * first search (a popup opening reads them anyway, and the check then shares that read).
 */
const AFTER_UNLOCK_MS = 3_000;

export function createRotationBadge(vault: Vault) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  async function check(): Promise<void> {
    const count = (await vault.isUnlocked()) ? (await vault.dueForRotation().catch(() => [])).length : 0;
    await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
    if (count > 0) await browser.action.setBadgeBackgroundColor({ color: '#b42318' });
  }

  return {
    check: () => {
      clearTimeout(timer);
      return check().catch(() => undefined);
    },
    /** After an unlock: count once the unlock and the popup's first requests are done. */
    afterUnlock(): void {
      clearTimeout(timer);
      timer = setTimeout(() => void check().catch(() => undefined), AFTER_UNLOCK_MS);
    },
    /** The daily check: next local midnight, then every 24 hours (alarms survive a stopped worker). */
    async arm(): Promise<void> {
      const midnight = new Date();
      midnight.setHours(24, 0, 5, 0);
      await browser.alarms.create(ROTATION_ALARM, { when: midnight.getTime(), periodInMinutes: DAY_MINUTES });
    },
  };
}
