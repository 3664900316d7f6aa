// Vaults made by earlier versions (database versions 1 and 2) open with today's code, nothing lost.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openVault } from '../../../lib/vault';
import { writeBackup } from '../../../lib/vault/backup';
import { openVaultDb } from '../../../lib/vault/schema';
import { memorySessionStore } from '../../../lib/vault/session-secret';
import { MASTER } from './helpers';

interface Fixture {
  version: number;
  stores: Record<string, [IDBValidKey, unknown][]>;
}

const readFixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8'), (_key, value) =>
    value && typeof value === 'object' && '$b64' in value ? new Uint8Array(Buffer.from(value.$b64 as string, 'base64')) : value,
  ) as Fixture;

/**
 * Writes a fixture into a database laid out exactly as its version was: version 1 with an unlocked
 * key left in `session`, version 2 without that store.
 */
async function loadFixture(factory: IDBFactory, name: string, fixture: Fixture): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(name, fixture.version);
    request.onupgradeneeded = () => {
      const d = request.result;
      d.createObjectStore('meta');
      if (fixture.version === 1) d.createObjectStore('session');
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
      if (fixture.version >= 3) {
        d.createObjectStore('outbox', { keyPath: 'id' }).createIndex('bySafe', 'safeId');
        d.createObjectStore('conflicts', { keyPath: 'id' }).createIndex('byEnv', 'envId');
        d.createObjectStore('sync');
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const leftover = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const tx = db.transaction([...(fixture.version === 1 ? ['session'] : []), ...Object.keys(fixture.stores)], 'readwrite');
  if (fixture.version === 1) tx.objectStore('session').put({ key: leftover, unlockedAt: 0 }, 'vault');
  for (const [store, rows] of Object.entries(fixture.stores)) {
    for (const [key, value] of rows) {
      if (store === 'meta' || store === 'sync') tx.objectStore(store).put(value, key);
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
    await loadFixture(factory, 'old', readFixture('vault-v1.json'));
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
      deviceName: 'Keysmith',
    });
    const safes = await vault.listSafes();
    expect(safes.map((s) => [s.name, s.environments.map((e) => [e.name, e.protected])])).toEqual([
      [
        'Personal',
        [
          ['Development', false],
          ['Staging', false],
          ['Production', true],
        ],
      ],
      [
        'Billing',
        [
          ['Development', false],
          ['Staging', false],
          ['Production', true],
          ['QA', true],
        ],
      ],
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

describe('upgrading a version-2 vault (before sync bound each record to its place)', () => {
  it('keeps every secret, override, tag, path, website, key mark and setting, and seals each record with its binding', async () => {
    const factory = new IDBFactory();
    await loadFixture(factory, 'v2', readFixture('vault-v2.json'));
    const vault = await openVault({ indexedDB: factory, dbName: 'v2', session: memorySessionStore() });
    expect(await vault.isUnlocked()).toBe(false);
    await vault.unlock(MASTER);

    // Every record now carries its version, so its associated data names its safe and environment.
    const dump = await dumpStores(factory, 'v2');
    for (const store of ['safes', 'environments', 'secrets', 'overrides'] as const) {
      expect(dump[store]!.length).toBeGreaterThan(0);
      for (const record of dump[store]!) expect((record as { ver?: number }).ver, store).toBe(1);
    }
    for (const env of dump.environments!) expect((env as { flags?: unknown }).flags).toBeDefined();

    expect(await vault.getSettings()).toMatchObject({ autoLockMinutes: 60, clipboardClearSeconds: 45, kdf: { name: 'Argon2id' } });
    const safes = await vault.listSafes();
    expect(safes.map((s) => [s.name, s.environments.map((e) => [e.name, e.protected])])).toEqual([
      [
        'Personal',
        [
          ['Development', false],
          ['Staging', false],
          ['Production', true],
        ],
      ],
      [
        'Billing',
        [
          ['Development', false],
          ['Staging', false],
          ['Production', true],
          ['QA-EU', true],
        ],
      ],
    ]);
    const dev = await vault.get({ appName: 'Personal', envName: 'Development' });
    const shape = ({ key, value, path, tags, comment, autofill, encryptionKey }: Record<string, unknown>) => ({
      key,
      value,
      path,
      tags,
      comment,
      autofill,
      encryptionKey,
    });
    expect(dev.map((s) => shape(s as never))).toEqual(
      expect.arrayContaining([
        {
          key: 'STRIPE_KEY',
          value: 'sk_test_v2',
          path: '/api',
          tags: ['payments', 'stripe'],
          comment: 'test mode',
          autofill: [{ origin: 'https://dashboard.stripe.com', subdomains: false, field: 'api_key' }],
          encryptionKey: undefined,
        },
        { key: 'DB_URL', value: 'postgres://dev', path: '/api', tags: [], comment: '', autofill: undefined, encryptionKey: undefined },
        {
          key: 'AES_KEY',
          value: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff',
          path: '/api',
          tags: [],
          comment: '',
          autofill: undefined,
          encryptionKey: true,
        },
      ]),
    );
    expect(dev).toHaveLength(3);
    const prod = await vault.get({ appName: 'Personal', envName: 'Production' });
    expect(prod.map((s) => [s.key, s.value, s.overridden]).sort()).toEqual([
      ['API_TOKEN', 'tok-prod', false], // an inactive override stays inactive…
      ['DB_URL', 'postgres://mine', true], // …and an active one active
    ]);
    await vault.update({ appName: 'Personal', envName: 'Production', key: 'API_TOKEN', toggleOverride: true });
    expect((await vault.get({ appName: 'Personal', envName: 'Production', keyToFind: 'API_TOKEN' }))[0]!.value).toBe('tok-mine');
    const [invoice] = await vault.get({ appName: 'Billing', envName: 'QA-EU', keyToFind: 'INVOICE_TOKEN' });
    expect([invoice!.value, invoice!.path, invoice!.tags]).toEqual(['inv-123', '/invoices', ['billing']]);
    expect((await vault.search('invoice')).total).toBe(1);

    // A second unlock finds nothing left to bind and changes nothing.
    const before = JSON.stringify(await dumpStores(factory, 'v2'), bytes);
    await vault.lock();
    await vault.unlock(MASTER);
    expect(JSON.stringify(await dumpStores(factory, 'v2'), bytes)).toBe(before);
  });

  it('looks through the records once: later unlocks read none of them', async () => {
    const factory = new IDBFactory();
    await loadFixture(factory, 'v2', readFixture('vault-v2.json'));
    const vault = await openVault({ indexedDB: factory, dbName: 'v2', session: memorySessionStore() });
    const reads = readsOf(['secrets', 'overrides']);
    await vault.unlock(MASTER);
    expect(reads.count()).toBeGreaterThan(0);
    await vault.lock();
    reads.reset();
    await vault.unlock(MASTER);
    expect(reads.count()).toBe(0);
  });

  it('a pass whose mark was cleared meanwhile (a restore elsewhere) does not call the vault bound', async () => {
    const factory = new IDBFactory();
    await loadFixture(factory, 'v2', readFixture('vault-v2.json'));
    const vault = await openVault({ indexedDB: factory, dbName: 'v2', session: memorySessionStore() });
    // Another worker instance restores a backup while this pass reads: the meta store is cleared.
    const db = await openVaultDb(factory, 'v2');
    const reads = readsOf(['secrets']);
    reads.onRead(() => void db.delete('meta', 'bound'));
    await vault.unlock(MASTER);
    expect(await db.get('meta', 'bound')).toBeUndefined();
    db.close();
    // So the next unlock looks again.
    await vault.lock();
    reads.reset();
    await vault.unlock(MASTER);
    expect(reads.count()).toBeGreaterThan(0);
  });

  it('a backup made before the binding, restored, is bound at its next unlock', async () => {
    const old = new IDBFactory();
    await loadFixture(old, 'v2', readFixture('vault-v2.json'));
    // The backup is written from the stored records, without unlocking, so they are still unbound.
    const db = await openVaultDb(old, 'v2');
    const backup = await writeBackup(db, 'backup-Pass-2026', Date.now());
    db.close();

    const factory = new IDBFactory();
    const vault = await openVault({ indexedDB: factory, dbName: 'restored', session: memorySessionStore() });
    await vault.setup(MASTER);
    await vault.restoreBackup(backup, 'backup-Pass-2026', MASTER);
    const restored = await dumpStores(factory, 'restored');
    expect(restored.secrets!.some((r) => (r as { ver?: number }).ver === undefined)).toBe(true);
    await vault.unlock(MASTER);
    const dump = await dumpStores(factory, 'restored');
    for (const record of dump.secrets!) expect((record as { ver?: number }).ver).toBe(1);
    const [invoice] = await vault.get({ appName: 'Billing', envName: 'QA-EU', keyToFind: 'INVOICE_TOKEN' });
    expect(invoice!.value).toBe('inv-123');
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Counts getAll() calls on the named object stores (IndexedDB's own method, watched: each call still
 * goes through), and runs `onRead`'s hook at the first one. Every test ends with the method restored.
 */
describe('upgrading a version-3 vault (before history)', () => {
  it('opens with every secret, override, reference and rotation intact, an empty history, and Recently deleted empty', async () => {
    const factory = new IDBFactory();
    await loadFixture(factory, 'v3', readFixture('vault-v3.json'));
    const vault = await openVault({ indexedDB: factory, dbName: 'v3', session: memorySessionStore() });
    await vault.unlock(MASTER);
    const dev = await vault.get({ appName: 'Personal', envName: 'Development' });
    expect(
      dev
        .map(({ key, value, path, tags, comment, rotation }) => ({ key, value, path, tags, comment, every: rotation?.everyDays }))
        .sort((a, b) => a.key.localeCompare(b.key)),
    ).toEqual([
      { key: 'DB_URL', value: 'postgres://dev2', path: '/api', tags: [], comment: '', every: undefined },
      { key: 'STRIPE_KEY', value: 'sk_test_v3', path: '/api', tags: ['payments'], comment: 'test mode', every: 90 },
    ]);
    const [prod] = await vault.get({ appName: 'Personal', envName: 'Production', keyToFind: 'DB_URL' });
    expect([prod!.value, prod!.overridden]).toEqual(['postgres://mine', true]);
    for (const secret of [...dev, prod!]) expect(await vault.history(secret.id)).toMatchObject({ versions: [], damaged: false });
    expect(await vault.recentlyDeleted()).toEqual([]);

    // The next edit starts its history with the version written before the upgrade.
    const db = dev.find((s) => s.key === 'DB_URL')!;
    await vault.update({ appName: 'Personal', envName: 'Development', id: db.id, value: 'postgres://dev3' });
    const history = await vault.history(db.id);
    expect(history.versions.map((v) => [v.ver, v.key, v.by.device])).toEqual([[2, 'DB_URL', '']]);
    expect((await vault.revealVersion(db.id, 2)).value).toBe('postgres://dev2');
  });

  it('a backup written in that format still imports, with every secret and an empty history', async () => {
    const factory = new IDBFactory();
    await loadFixture(factory, 'v3', readFixture('vault-v3.json'));
    const old = await openVaultDb(factory, 'v3');
    // What a backup of that vault held: its records as they were, without history fields.
    const text = await writeBackup(old, 'backup-password-123', Date.now());
    old.close();
    const fresh = await openVault({ indexedDB: new IDBFactory(), dbName: 'fresh', session: memorySessionStore() });
    await fresh.restoreBackup(text, 'backup-password-123');
    await fresh.unlock(MASTER);
    const dev = await fresh.get({ appName: 'Personal', envName: 'Development' });
    expect(dev.map((s) => s.value).sort()).toEqual(['postgres://dev2', 'sk_test_v3']);
    for (const secret of dev) expect((await fresh.history(secret.id)).versions).toEqual([]);
  });
});

function readsOf(stores: string[]) {
  const original = IDBObjectStore.prototype.getAll;
  let hook: (() => void) | undefined;
  const spy = vi.spyOn(IDBObjectStore.prototype, 'getAll').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (stores.includes(this.name) && hook) {
      hook();
      hook = undefined;
    }
    return original.apply(this, args);
  });
  const count = () => spy.mock.contexts.filter((store) => stores.includes((store as IDBObjectStore).name)).length;
  return { count, onRead: (f: () => void) => void (hook = f), reset: () => spy.mockClear() };
}

const bytes = (_key: string, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value);

async function dumpStores(factory: IDBFactory, name: string): Promise<Record<string, unknown[]>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = factory.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const names = ['safes', 'environments', 'secrets', 'overrides', 'meta'];
  const tx = db.transaction(names);
  const out: Record<string, unknown[]> = {};
  await Promise.all(
    names.map(
      (n) =>
        new Promise<void>((resolve) => {
          const request = tx.objectStore(n).getAll();
          request.onsuccess = () => {
            out[n] = request.result;
            resolve();
          };
        }),
    ),
  );
  db.close();
  return out;
}
