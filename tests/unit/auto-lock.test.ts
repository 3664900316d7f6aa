import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { beforeEach, describe, expect, it } from 'vitest';
import { rejection } from './vault/helpers';
import { createAutoLock } from '../../entrypoints/background/auto-lock';
import { browserSessionStore } from '../../entrypoints/background/session-secret';
import { openVault, type Vault } from '../../lib/vault/vault';

const MASTER = 'correct horse battery staple';

describe('auto-lock', () => {
  let vault: Vault;
  let factory: IDBFactory;

  beforeEach(async () => {
    fakeBrowser.reset();
    factory = new IDBFactory();
    vault = await openWorker();
    await vault.setup(MASTER);
  });

  /** What a (re)started service worker opens: the same database and the same storage.session. */
  const openWorker = () => openVault({ indexedDB: factory, session: browserSessionStore() });

  it('arms an alarm and a deadline for the configured idle time', async () => {
    const autoLock = createAutoLock(vault);
    await autoLock.unlocked();
    const alarm = await fakeBrowser.alarms.get('keysmith-auto-lock');
    expect(alarm!.scheduledTime - Date.now()).toBeGreaterThan(14.9 * 60_000); // default 15 minutes
    expect(alarm!.scheduledTime - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(await fakeBrowser.storage.session.get('keysmith-lock-at')).toEqual({ 'keysmith-lock-at': alarm!.scheduledTime });
    await autoLock.lockNow();
    expect(await vault.isUnlocked()).toBe(false);
    expect(await fakeBrowser.storage.session.get()).toEqual({}); // no session secret, no deadline
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

  it('finds the vault locked in a new browser session', async () => {
    // storage.session is memory-only: a browser restart takes the session secret with it.
    await createAutoLock(vault).unlocked();
    await fakeBrowser.storage.session.clear();
    const worker = await openWorker();
    await createAutoLock(worker).lockIfDue();
    expect(await worker.isUnlocked()).toBe(false);
    expect((await rejection(worker.listSafes())).code).toBe('locked');
  });

  it('keeps a vault unlocked when only the service worker restarted, without a KDF run', async () => {
    await createAutoLock(vault).unlocked();
    const worker = await openWorker();
    await createAutoLock(worker).lockIfDue();
    expect(await worker.isUnlocked()).toBe(true);
    const started = performance.now();
    expect((await worker.listSafes()).map((s) => s.name)).toEqual(['Personal']);
    expect(performance.now() - started).toBeLessThan(100); // Argon2id alone takes several times that
  });

  it('does not lock an unlock that a concurrent request sees finishing', async () => {
    // The unlock request has installed the keys; its after-unlock bookkeeping (the pages' mark, the
    // deadline) has not run yet when another request runs the deadline check.
    const autoLock = createAutoLock(vault);
    await autoLock.lockNow();
    await vault.unlock(MASTER);
    await autoLock.lockIfDue(); // the concurrent request
    expect(await vault.isUnlocked()).toBe(true);
    await autoLock.unlocked();
    expect(await vault.isUnlocked()).toBe(true);
  });
});
