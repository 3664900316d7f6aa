import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAutoLock } from '../../entrypoints/background/auto-lock';
import { openVault, type Vault } from '../../lib/vault/vault';

const MASTER = 'correct horse battery staple';

describe('auto-lock', () => {
  let vault: Vault;
  let factory: IDBFactory;

  beforeEach(async () => {
    fakeBrowser.reset();
    factory = new IDBFactory();
    vault = await openVault({ indexedDB: factory });
    await vault.setup(MASTER);
  });

  it('arms an alarm for the configured idle time, and locks when it fires', async () => {
    const autoLock = createAutoLock(vault);
    await autoLock.unlocked(); // as the background does: mark the session, then arm
    await autoLock.register();
    const alarm = await fakeBrowser.alarms.get('keysmith-auto-lock');
    expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan(14.9 * 60_000); // default 15 minutes
    expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    await fakeBrowser.alarms.onAlarm.trigger(alarm!);
    await expect.poll(() => vault.isUnlocked()).toBe(false);
    expect(await fakeBrowser.storage.session.get()).toEqual({});
  });

  it('does not lock an unlock that happens right after the worker starts', async () => {
    // Locked vault, fresh session: the worker registers while the user is already unlocking.
    await vault.lock();
    const autoLock = createAutoLock(vault);
    const registered = autoLock.register();
    await registered; // the background awaits this before dispatching the unlock request
    await vault.unlock(MASTER);
    await autoLock.unlocked();
    expect(await vault.isUnlocked()).toBe(true);
  });

  it('sets no alarm when the vault should lock only on browser restart', async () => {
    await vault.updateSettings({ autoLockMinutes: null });
    const autoLock = createAutoLock(vault);
    await autoLock.unlocked();
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('locks on browser start-up', async () => {
    const autoLock = createAutoLock(vault);
    await autoLock.unlocked();
    await autoLock.register();
    await fakeBrowser.runtime.onStartup.trigger();
    await expect.poll(() => vault.isUnlocked()).toBe(false);
  });

  it('locks a vault found unlocked by a worker started in a new browser session', async () => {
    // storage.session is memory-only: after a browser restart the mark is gone, the IndexedDB keys are not.
    const worker = createAutoLock(vault);
    await worker.unlocked();
    await fakeBrowser.storage.session.clear();
    await createAutoLock(await openVault({ indexedDB: factory })).register();
    expect(await vault.isUnlocked()).toBe(false);
  });

  it('keeps a vault unlocked when only the service worker restarted', async () => {
    await createAutoLock(vault).unlocked();
    await createAutoLock(await openVault({ indexedDB: factory })).register();
    expect(await vault.isUnlocked()).toBe(true);
  });
});
