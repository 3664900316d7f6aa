// "Used by" for values written before references existed: a vault made by that version
// (tests/fixtures/vault-v3-before-references.json) opens, and its references are indexed once.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openVault, type Vault } from '../../../lib/vault';
import { openVaultDb } from '../../../lib/vault/schema';
import { memorySessionStore } from '../../../lib/vault/session-secret';
import { DB_NAME, dumpAll, editRecord, MASTER } from './helpers';

interface Fixture {
  version: number;
  stores: Record<string, [IDBValidKey, unknown][]>;
}

/** The fixture's records in a database of today's layout (its version, 3, is today's). */
async function olderVault(): Promise<{ vault: Vault; factory: IDBFactory }> {
  const fixture = JSON.parse(
    readFileSync(new URL('../../fixtures/vault-v3-before-references.json', import.meta.url), 'utf8'),
    (_key, value) =>
      value && typeof value === 'object' && '$b64' in value ? new Uint8Array(Buffer.from(value.$b64 as string, 'base64')) : value,
  ) as Fixture;
  expect(fixture.version).toBe(3);
  const factory = new IDBFactory();
  const db = await openVaultDb(factory, DB_NAME);
  const tx = db.transaction(Object.keys(fixture.stores) as never, 'readwrite');
  for (const [store, rows] of Object.entries(fixture.stores)) {
    for (const [key, value] of rows) {
      if (store === 'meta') await tx.objectStore(store as never).put(value as never, key as never);
      else await tx.objectStore(store as never).put(value as never);
    }
  }
  await tx.done;
  db.close();
  const vault = await openVault({ indexedDB: factory, dbName: DB_NAME, session: memorySessionStore() });
  await vault.unlock(MASTER);
  return { vault, factory };
}

const idOf = async (vault: Vault, key: string) => (await vault.search(key)).hits.find((h) => h.key === key)!.id;
const users = async (vault: Vault, key: string) =>
  (await vault.usedBy(await idOf(vault, key))).map((h) => `${h.safeName}/${h.envName}:${h.key}`).sort();

async function indexAll(vault: Vault): Promise<void> {
  while (!(await vault.indexOlderReferences()));
}

describe('references in values written before references existed', () => {
  it('are indexed once after unlock, so "used by" lists every secret that uses a value, in any safe', async () => {
    const { vault } = await olderVault();
    // What the stored indexes say before the pass: nothing (the gap this pass closes).
    expect(await users(vault, 'DB_PASSWORD')).toEqual([]);
    await indexAll(vault);
    expect(await users(vault, 'DB_PASSWORD')).toEqual([
      'Billing/Production:FROM_PERSONAL',
      'Personal/Development:DB_URL',
      'Personal/Staging:DEV_DB',
    ]);
    expect(await users(vault, 'PLAIN')).toEqual([]);
    // Resolving was never affected: it reads values, not the index.
    expect((await vault.resolveValue(await idOf(vault, 'DB_URL'))).value).toBe('postgres://app:hunter2@db/app');
  });

  it('rewrites no record and queues nothing to sync: only this device’s sealed indexes change', async () => {
    const { vault, factory } = await olderVault();
    const before = await dumpAll(factory);
    await indexAll(vault);
    const after = await dumpAll(factory);
    for (const store of ['secrets', 'safes', 'environments', 'overrides', 'outbox'] as const) expect(after[store]).toEqual(before[store]);
    expect(after.indexes).not.toEqual(before.indexes);
    // No name in the clear: the indexes are still ciphertext.
    expect(JSON.stringify(after.indexes)).not.toContain('DB_PASSWORD');
  });

  it('runs once: a later unlock finds it done, and a rename offers to update the older referrers', async () => {
    const { vault } = await olderVault();
    await indexAll(vault);
    await vault.lock();
    await vault.unlock(MASTER);
    expect(await vault.indexOlderReferences()).toBe(true);
    const id = await idOf(vault, 'DB_PASSWORD');
    await vault.update({ id, safeName: 'Personal', envName: 'Development', newKey: 'DB_SECRET' });
    expect(await vault.updateReferrers({ id, from: { key: 'DB_PASSWORD', path: '/' } })).toBe(3);
    expect((await vault.resolveValue(await idOf(vault, 'DEV_DB'))).value).toBe('hunter2');
  });

  it('goes on where it stopped when the worker stopped half-way', async () => {
    const { vault, factory } = await olderVault();
    expect(await vault.indexOlderReferences()).toBe(false); // one environment done
    const restarted = await openVault({ indexedDB: factory, dbName: DB_NAME, session: memorySessionStore() });
    await restarted.unlock(MASTER);
    await indexAll(restarted);
    expect(await users(restarted, 'DB_PASSWORD')).toHaveLength(3);
  });
});

describe('an index rebuilt from the records', () => {
  it('keeps the references of values written before they existed', async () => {
    const { vault, factory } = await olderVault();
    await indexAll(vault);
    const dev = (await vault.listSafes())[0]!.environments.find((e) => e.name === 'Development')!.id;
    await editRecord(factory, 'indexes', dev, (index: { entries: { data: Uint8Array } }) => {
      index.entries.data[0]! ^= 1; // damaged: read from the records instead
      return index;
    });
    const restarted = await openVault({ indexedDB: factory, dbName: DB_NAME, session: memorySessionStore() });
    await restarted.unlock(MASTER);
    expect(await users(restarted, 'DB_PASSWORD')).toEqual([
      'Billing/Production:FROM_PERSONAL',
      'Personal/Development:DB_URL',
      'Personal/Staging:DEV_DB',
    ]);
  });
});
