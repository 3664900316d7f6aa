// What every vault operation shares: the database handle, the clock, and new record ids.
import type { IDBPTransaction } from 'idb';
import type { Db, StoreName, VaultDB } from './schema';

export interface VaultContext {
  readonly db: Db;
  readonly now: () => number;
}

export type WriteTx = IDBPTransaction<VaultDB, StoreName[], 'readwrite'>;

export function newId(): string {
  return crypto.randomUUID();
}
