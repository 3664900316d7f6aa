import { SYNC_STATUS_SESSION_KEY } from '../../lib/messages/protocol';
import { SyncEngine, type SyncStatus } from '../../lib/sync/engine';
import { LiveConnection, type LiveSocket } from '../../lib/sync/live';
import type { Vault } from '../../lib/vault/vault';
import { browserSessionStore } from './session-secret';

export const SYNC_ALARM = 'keysmith-sync';
/**
 * The alarm's period while unlocked: a safety net for a server without live updates (or a worker
 * that was stopped); with the live connection, changes made elsewhere arrive within a second.
 */
const SYNC_PERIOD_MINUTES = 5;
/** A burst of edits becomes one push, soon enough for another device's open popup to show it within a second. */
const DEBOUNCE_MS = 150;

/**
 * The sync engine in the worker, which owns the cadence: it syncs after a local change, on the
 * server's "something changed" (a WebSocket held while unlocked and linked, lib/sync/live.ts), when
 * that connection comes back, and when a failure's backoff ends; every status goes to
 * `storage.session` for the pages to follow. The auth secret and token live in `storage.session`
 * (memory only, extension contexts only) and go on every lock. Fetches go straight to the server's
 * origin; the extension holds no host permission, so the server's CORS answer for extension origins
 * is what lets them through (docs/server.md, "CORS").
 */
export function createSync(vault: Vault) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let published = '';

  const publish = async (status?: SyncStatus) => {
    const next = status ?? (await engine.status());
    const json = JSON.stringify(next);
    if (json === published) return;
    published = json;
    await browser.storage.session.set({ [SYNC_STATUS_SESSION_KEY]: next });
  };
  // After a failure, the next try is the background's to make (no page asks any more).
  const scheduleRetry = (status: SyncStatus) => {
    clearTimeout(retryTimer);
    if (status.retryAt) retryTimer = setTimeout(run, Math.max(0, status.retryAt - Date.now()));
  };
  const engine = new SyncEngine({
    vault,
    credentials: browserSessionStore('keysmith-sync-credentials'),
    onStatus: (status) => {
      void publish(status).catch(() => undefined);
      if (!status.progress) scheduleRetry(status);
    },
  });
  const run = () => void engine.syncNow({ scheduled: true }).catch(() => undefined);

  const live = new LiveConnection({
    WebSocket: WebSocket as unknown as new (url: string) => LiveSocket,
    session: () => engine.liveSession(),
    // Back (or first) connection: whatever waited goes now, backoff or not, and what was missed comes.
    onReady: () => void engine.syncNow().catch(() => undefined),
    onChange: run,
    // A refused token: a sync run logs in again with the held auth secret. If the server refuses that
    // too (the password was changed on another device), stay closed until the user gives the new one,
    // rather than failing a login every 30 s (each counts towards the account's lockout).
    onRefused: async () => {
      const status = await engine.syncNow({ scheduled: true });
      if (status.lastError?.code === 'auth_failed') live.stop();
    },
  });

  /** Connected while unlocked and linked, closed otherwise. */
  const follow = async () => {
    if ((await vault.isUnlocked()) && (await engine.local.getSyncLink())) live.start();
    else live.stop();
  };

  return {
    engine,
    /** Sync after `delayMs` of quiet (a local change, a page opening, an unlock). */
    soon(delayMs = DEBOUNCE_MS): void {
      clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    },
    /** Tell pages of a change in what the status shows (an edit waiting, a conflict settled, a sign-out). */
    publish: () => void publish().catch(() => undefined),
    /** After an unlock, a sign-in or a worker start: the live connection, if this vault syncs. */
    follow: () => void follow().catch(() => undefined),
    /** The periodic alarm: created while unlocked and linked; a locked vault never syncs. */
    async alarm(): Promise<void> {
      if ((await vault.isUnlocked()) && (await engine.local.getSyncLink())) {
        live.start(); // a worker stopped and woken by the alarm connects again
        run();
      }
    },
    async arm(): Promise<void> {
      await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES });
    },
    async locked(): Promise<void> {
      clearTimeout(timer);
      clearTimeout(retryTimer);
      live.stop();
      await engine.forget();
      await publish().catch(() => undefined);
    },
  };
}
