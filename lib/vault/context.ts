// What every vault operation shares: the database handle, the clock, the unlocked keys, new record ids.
import type { IDBPTransaction } from 'idb';
import type { Db, StoreName, VaultDB } from './schema';
import type { SessionSecretStore } from './session-secret';
import type { UnlockedKeys } from './session-keys';

/**
 * The unlocked keys of this process. `generation` grows on every lock, so a rebuild that was
 * under way when the vault locked never installs keys afterwards.
 */
export interface KeyHolder {
  current: UnlockedKeys | undefined;
  generation: number;
}

export interface VaultContext {
  readonly db: Db;
  readonly now: () => number;
  readonly session: SessionSecretStore;
  readonly keys: KeyHolder;
  /** Counts this process's writes, so what is cached from the records (search names) knows when to look again. */
  readonly writes: { count: number };
  /** The name versions written here carry when the user has not set one (device-name.ts). */
  readonly deviceName: string;
}

export type WriteTx = IDBPTransaction<VaultDB, StoreName[], 'readwrite'>;

export function newId(): string {
  return crypto.randomUUID();
}
