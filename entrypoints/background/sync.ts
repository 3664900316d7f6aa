import { SyncEngine } from '../../lib/sync/engine';
import type { Vault } from '../../lib/vault/vault';
import { browserSessionStore } from './session-secret';

export const SYNC_ALARM = 'keysmith-sync';
/** The alarm's period while unlocked: changes made elsewhere arrive at least this often. */
const SYNC_PERIOD_MINUTES = 5;
/** A burst of edits becomes one push. */
const DEBOUNCE_MS = 500;

/**
 * The sync engine in the worker: its auth secret and token live in `storage.session` (memory only,
 * extension contexts only) and go on every lock. Fetches go straight to the server's origin; the
 * extension holds no host permission, so the server's CORS answer for extension origins is what
 * lets them through (docs/server.md, "CORS").
 */
export function createSync(vault: Vault) {
  const engine = new SyncEngine({ vault, credentials: browserSessionStore('keysmith-sync-credentials') });
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = () => void engine.syncNow({ scheduled: true }).catch(() => undefined);

  return {
    engine,
    /** Sync after `delayMs` of quiet (a local change, a page opening, an unlock). */
    soon(delayMs = DEBOUNCE_MS): void {
      clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    },
    /** The periodic alarm: created while unlocked and linked; a locked vault never syncs. */
    async alarm(): Promise<void> {
      if ((await vault.isUnlocked()) && (await vault.getSyncLink())) run();
    },
    async arm(): Promise<void> {
      await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES });
    },
    async locked(): Promise<void> {
      clearTimeout(timer);
      await engine.forget();
    },
  };
}
