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

  it('arms an alarm and a deadline for the configured idle time', async () => {
    const autoLock = createAutoLock(vault);
    await autoLock.unlocked();
    const alarm = await fakeBrowser.alarms.get('keysmith-auto-lock');
    expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan(14.9 * 60_000); // default 15 minutes
    expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(await fakeBrowser.storage.session.get('keysmith-lock-at')).toEqual({ 'keysmith-lock-at': alarm!.scheduledTime });
    await autoLock.lockNow();
    expect(await vault.isUnlocked()).toBe(false);
    expect(await fakeBrowser.storage.session.get()).toEqual({});
  });

  it('locks on the next request once the deadline has passed, even if the alarm was lost', async () => {
    let clock = Date.now();
    const autoLock = createAutoLock(vault, () => clock);
    await autoLock.unlocked();
    await fakeBrowser.alarms.clearAll(); // the alarm went to a worker that was not listening
    clock += 14 * 60_000;
    await autoLock.lockIfDue();
    expect(await vault.isUnlocked()).toBe(true);
    clock += 60_000;
    await autoLock.lockIfDue();
    expect(await vault.isUnlocked()).toBe(false);
  });

  it('restarts the countdown on activity', async () => {
    let clock = Date.now();
    const autoLock = createAutoLock(vault, () => clock);
    await autoLock.unlocked();
    clock += 14 * 60_000;
    await autoLock.arm(); // a request from the popup
    clock += 14 * 60_000;
    await autoLock.lockIfDue();
    expect(await vault.isUnlocked()).toBe(true);
  });

  it('does not lock an unlock that happens right after the worker starts', async () => {
    // Locked vault, fresh session: the worker registers while the user is already unlocking.
    await vault.lock();
    const autoLock = createAutoLock(vault);
    await autoLock.lockIfDue(); // the background awaits this before dispatching the unlock request
    await vault.unlock(MASTER);
    await autoLock.unlocked();
    expect(await vault.isUnlocked()).toBe(true);
  });

  it('re-arms on activity at most every 5 seconds', async () => {
    let clock = Date.now();
    const autoLock = createAutoLock(vault, () => clock);
    await autoLock.unlocked();
    const deadline = async () => (await fakeBrowser.storage.session.get('keysmith-lock-at'))['keysmith-lock-at'] as number;
    await autoLock.activity();
    const first = await deadline();
    clock += 2_000;
    await autoLock.activity(); // a burst: no re-arm
    expect(await deadline()).toBe(first);
    clock += 4_000;
    await autoLock.activity();
    expect(await deadline()).toBe(first + 6_000);
  });

  it('sets no alarm when the vault should lock only on browser restart', async () => {
    await vault.updateSettings({ autoLockMinutes: null });
    const autoLock = createAutoLock(vault);
    await autoLock.unlocked();
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('locks a vault found unlocked by a worker started in a new browser session', async () => {
    // storage.session is memory-only: after a browser restart the mark is gone, the IndexedDB keys are not.
    const worker = createAutoLock(vault);
    await worker.unlocked();
    await fakeBrowser.storage.session.clear();
    await createAutoLock(await openVault({ indexedDB: factory })).lockIfDue();
    expect(await vault.isUnlocked()).toBe(false);
  });

  it('keeps a vault unlocked when only the service worker restarted', async () => {
    await createAutoLock(vault).unlocked();
    await createAutoLock(await openVault({ indexedDB: factory })).lockIfDue();
    expect(await vault.isUnlocked()).toBe(true);
  });
});
