// A vault made by Keysmith 0.1.0 (database version 1) opens with today's code, nothing lost.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openVault } from '../../../lib/vault';
import { memorySessionStore } from '../../../lib/vault/session-secret';
import { MASTER } from './helpers';

interface Fixture {
  version: number;
  stores: Record<string, [IDBValidKey, unknown][]>;
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/vault-v1.json', import.meta.url), 'utf8'), (_key, value) =>
  value && typeof value === 'object' && '$b64' in value ? new Uint8Array(Buffer.from(value.$b64 as string, 'base64')) : value,
) as Fixture;

/** Writes the fixture into a database laid out exactly as version 1 was, with an unlocked key left in `session`. */
async function loadVersion1(factory: IDBFactory, name: string): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      const d = request.result;
      d.createObjectStore('meta');
      d.createObjectStore('session');
      d.createObjectStore('orgs', { keyPath: 'id' });
      d.createObjectStore('safes', { keyPath: 'id' });
      d.createObjectStore('environments', { keyPath: 'id' }).createIndex('bySafe', 'safeId');
      const secrets = d.createObjectStore('secrets', { keyPath: 'id' });
      secrets.createIndex('bySafe', 'safeId');
      secrets.createIndex('byEnv', 'envId');
      d.createObjectStore('indexes', { keyPath: 'envId' }).createIndex('bySafe', 'safeId');
      const overrides = d.createObjectStore('overrides', { keyPath: 'secretId' });
      overrides.createIndex('bySafe', 'safeId');
      overrides.createIndex('byEnv', 'envId');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const leftover = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const tx = db.transaction(['session', ...Object.keys(fixture.stores)], 'readwrite');
  tx.objectStore('session').put({ key: leftover, unlockedAt: 0 }, 'vault');
  for (const [store, rows] of Object.entries(fixture.stores)) {
    for (const [key, value] of rows) {
      if (store === 'meta') tx.objectStore(store).put(value, key);
      else tx.objectStore(store).put(value);
    }
  }
  await new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

describe('upgrading a version-1 vault', () => {
  it('drops the on-disk keys, starts locked, and keeps every secret, override, tag, comment and setting', async () => {
    const factory = new IDBFactory();
    await loadVersion1(factory, 'old');
    const vault = await openVault({ indexedDB: factory, dbName: 'old', session: memorySessionStore() });
    const names = await new Promise<string[]>((resolve) => {
      const request = factory.open('old');
      request.onsuccess = () => {
        resolve([...request.result.objectStoreNames]);
        request.result.close();
      };
    });
    expect(names).not.toContain('session');
    expect(await vault.isInitialised()).toBe(true);
    expect(await vault.isUnlocked()).toBe(false); // the v1 key in `session` is gone, not used

    await vault.unlock(MASTER);
    expect(await vault.getSettings()).toEqual({
      autoLockMinutes: 60,
      clipboardClearSeconds: 45,
      kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000 }, // an old vault keeps its KDF until the user switches
    });
    const safes = await vault.listSafes();
    expect(safes.map((s) => [s.name, s.environments.map((e) => [e.name, e.protected])])).toEqual([
      ['Personal', [['Development', false], ['Staging', false], ['Production', true]]],
      ['Billing', [['Development', false], ['Staging', false], ['Production', true], ['QA', true]]],
    ]);
    const dev = await vault.get({ appName: 'Personal', envName: 'Development' });
    expect(dev.map(({ key, value, path, tags, comment }) => ({ key, value, path, tags, comment }))).toEqual(
      expect.arrayContaining([
        { key: 'STRIPE_KEY', value: 'sk_test_v1', path: '/api', tags: ['payments', 'stripe'], comment: 'test mode' },
        { key: 'DB_URL', value: 'postgres://dev', path: '/api', tags: [], comment: '' },
      ]),
    );
    expect(dev).toHaveLength(2);
    const [prod] = await vault.get({ appName: 'Personal', envName: 'Production', keyToFind: 'DB_URL' });
    expect([prod!.value, prod!.overridden]).toEqual(['postgres://mine', true]);
    await vault.update({ appName: 'Personal', envName: 'Production', key: 'DB_URL', toggleOverride: true });
    expect((await vault.get({ appName: 'Personal', envName: 'Production', keyToFind: 'DB_URL' }))[0]!.value).toBe('postgres://prod');
    const [invoice] = await vault.get({ appName: 'Billing', envName: 'QA', keyToFind: 'INVOICE_TOKEN' });
    expect(invoice!.value).toBe('inv-123');

    // And it can move to Argon2id behind the master password, still opening every secret.
    await vault.setKdf(MASTER, { name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4 });
    await vault.lock();
    await vault.unlock(MASTER);
    expect((await vault.getSettings()).kdf.name).toBe('Argon2id');
    expect((await vault.get({ appName: 'Billing', envName: 'QA' })).map((s) => s.value)).toEqual(['inv-123']);
  });
});
