// A commit's writes issued without a promise each (bulk-writes.ts) still land together or not at all.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import type { IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { bulkWrites } from '../../../lib/vault/bulk-writes';
import type { WriteTx } from '../../../lib/vault/context';
import { openVaultDb } from '../../../lib/vault/schema';

/** The sync store with any key (the vault's types name its few keys). */
interface Loose {
  put(value: unknown, key: string): Promise<unknown>;
  add(value: unknown, key: string): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  get(key: string): Promise<unknown>;
}

const record = (n: number) => ({ [`id${n}`]: n });

async function opened() {
  const db = (await openVaultDb(new IDBFactory(), 'bulk')) as unknown as IDBPDatabase;
  const bulk = () => {
    const tx = bulkWrites(db.transaction(['sync'], 'readwrite') as unknown as WriteTx);
    return { tx, store: tx.objectStore('sync') as unknown as Loose };
  };
  return { db, bulk };
}

describe('bulkWrites', () => {
  it('puts and deletes in the order made, and reads see them within the transaction', async () => {
    const { db, bulk } = await opened();
    await db.put('sync', record(0), 'a');
    const { tx, store } = bulk();
    await Promise.all([store.put(record(1), 'a'), store.put(record(2), 'b'), store.delete('b'), store.put(record(3), 'c')]);
    expect(await store.get('a')).toEqual(record(1));
    await tx.done;
    expect(await db.getAllKeys('sync')).toEqual(['a', 'c']);
    expect(await db.get('sync', 'c')).toEqual(record(3));
  });

  it('a write that fails aborts the transaction: none of the bulk writes before it are kept', async () => {
    const { db, bulk } = await opened();
    await db.put('sync', record(0), 'taken');
    const { tx, store } = bulk();
    for (let n = 1; n <= 100; n++) void store.put(record(n), `k${n}`);
    void store.delete('taken');
    // `add` of a key already there fails after the puts were issued (ConstraintError).
    const failing = store.add(record(-1), 'k50').catch((error: unknown) => error);
    await expect(tx.done).rejects.toBeDefined();
    expect(await failing).toBeInstanceOf(DOMException);
    expect(await db.getAllKeys('sync')).toEqual(['taken']);
    expect(await db.get('sync', 'taken')).toEqual(record(0));
  });
});
