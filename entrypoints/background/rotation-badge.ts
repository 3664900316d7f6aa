import type { Vault } from '../../lib/vault/vault';

export const ROTATION_ALARM = 'keysmith-rotation';
const DAY_MINUTES = 24 * 60;

/**
 * The toolbar badge counts the secrets due for rotation: a number only, never a name, since the
 * badge is drawn by the browser for anyone at the screen, unlocked or not. Only an unlocked vault
 * can open the metas that hold the dates, so while locked the badge shows nothing (not a stale count).
 * An alarm checks once a day, just after local midnight, whether or not a Keysmith page is open;
 * unlock, lock and every change check too.
 */
export function createRotationBadge(vault: Vault) {
  async function check(): Promise<void> {
    const count = (await vault.isUnlocked()) ? (await vault.dueForRotation().catch(() => [])).length : 0;
    await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
    if (count > 0) await browser.action.setBadgeBackgroundColor({ color: '#b42318' });
  }

  return {
    check: () => check().catch(() => undefined),
    /** The daily check: next local midnight, then every 24 hours (alarms survive a stopped worker). */
    async arm(): Promise<void> {
      const midnight = new Date();
      midnight.setHours(24, 0, 5, 0);
      await browser.alarms.create(ROTATION_ALARM, { when: midnight.getTime(), periodInMinutes: DAY_MINUTES });
    },
  };
}
