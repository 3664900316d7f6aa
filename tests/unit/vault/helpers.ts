import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openVault, type Vault } from '../../../lib/vault';
import { ALL_STORES, openVaultDb, type StoreName } from '../../../lib/vault/schema';
import { memorySessionStore, type SessionSecretStore } from '../../../lib/vault/session-secret';

export const DB_NAME = 'keysmith-test';
export const MASTER = 'Zebra-Master-Pw-771!';

export interface TestVault {
  vault: Vault;
  factory: IDBFactory;
  /** The session secret's store, shared by both instances as storage.session is by a worker's restarts. */
  session: SessionSecretStore;
  /** A second instance over the same database: what a restarted service worker sees. */
  reopen: (now?: () => number) => Promise<Vault>;
}

/** A vault in its own in-memory IndexedDB, optionally set up (one Argon2id run, ~0.3 s). */
export async function makeVault(opts: { setup?: boolean; now?: () => number } = {}): Promise<TestVault> {
  const factory = new IDBFactory();
  const session = memorySessionStore();
  const options = { indexedDB: factory, dbName: DB_NAME, session, ...(opts.now ? { now: opts.now } : {}) };
  const vault = await openVault(options);
  if (opts.setup !== false) await vault.setup(MASTER);
  return {
    vault,
    factory,
    session,
    reopen: (now) => openVault({ indexedDB: factory, dbName: DB_NAME, session, ...(now ? { now } : {}) }),
  };
}

export type Dump = Record<StoreName, { key: unknown; value: unknown }[]>;

/** Every record of every store, read with plain IndexedDB (as an attacker with the profile would). */
export async function dumpAll(factory: IDBFactory): Promise<Dump> {
  const db = await openVaultDb(factory, DB_NAME);
  const dump = {} as Dump;
  const tx = db.transaction(ALL_STORES);
  for (const name of ALL_STORES) {
    const store = tx.objectStore(name);
    const [keys, values] = await Promise.all([store.getAllKeys(), store.getAll()]);
    dump[name] = keys.map((key, i) => ({ key, value: values[i] }));
  }
  await tx.done;
  db.close();
  return dump;
}

/**
 * A dump as text: bytes appear both as hex and as Latin-1 (so UTF-8 plaintext stored as bytes
 * would be visible), CryptoKeys by their attributes only.
 */
export function dumpText(dump: Dump): string {
  return JSON.stringify(dump, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      return { hex: Buffer.from(value).toString('hex'), latin1: Buffer.from(value).toString('latin1') };
    }
    if (value instanceof CryptoKey) return { cryptoKey: value.algorithm, extractable: value.extractable, usages: value.usages };
    return value;
  });
}

/** Replaces one record in a store directly, bypassing the vault (tampering, corruption). */
export async function editRecord<T>(factory: IDBFactory, store: StoreName, key: string, edit: (record: T) => T): Promise<void> {
  const db = await openVaultDb(factory, DB_NAME);
  const tx = db.transaction(store, 'readwrite');
  const record = (await tx.store.get(key)) as T | undefined;
  if (record === undefined) throw new Error(`no ${store}/${key}`);
  const next = edit(record);
  if (store === 'meta') await tx.store.put(next as never, key as never);
  else await tx.store.put(next as never);
  await tx.done;
  db.close();
}

export async function getRecord<T>(factory: IDBFactory, store: StoreName, key: string): Promise<T> {
  const db = await openVaultDb(factory, DB_NAME);
  const record = (await db.get(store, key)) as T;
  db.close();
  return record;
}

export function flipByte(bytes: Uint8Array, at = 0): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** Resolves to the VaultError a promise rejects with (fails the test if it resolves). */
export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; retryAfterMs?: number; field?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the promise to reject');
}
