// A deletion is a version of its record like any edit: numbered above every version this device
// saw, sealed with the record's key and bound to its place, kind, id and version (lib/vault/binding.ts), so a
// sync server can neither invent one nor move one onto another record (rollback and resurrection
// attacks: ETH Zurich, "Zero Knowledge (About) Encryption", USENIX Security 2026). What a device has
// seen of a deleted record outlives it in the `gone` log, so a copy the server kept cannot come back.
import { openJson, sealJson, sealPaddedJson } from '../vault/cipher';
import type { Remains } from '../vault/trash';
import { boundAd, type SealedKind } from '../vault/binding';
import type { VaultContext, WriteTx } from '../vault/context';
import type { GoneLog, ServerItem } from '../vault/schema';
import { cipherFromWire, cipherToWire, claimedVer, ItemShapeError } from './items';

/**
 * Where a deletion is bound: the record's kind, safe and id (an override's is its secret's, as for
 * its value). Not its environment: an id names one record, and a deletion queued by an older
 * Keysmith, whose record is gone, no longer knows it.
 */
export interface DeletionPlace {
  kind: SealedKind;
  safeId: string;
  id: string;
}

/**
 * What a sealed deletion says inside: when it was made, and for a secret deleted one by one, its
 * last version and history, so every device can list it in Recently deleted (trash.ts).
 */
export interface DeletionSeal {
  at: number;
  remains?: Remains;
}

export const deletionAd = (p: DeletionPlace, ver: number) => boundAd(p.kind, p.safeId, undefined, p.id, 'deleted', ver);

/** The `gone` field of a deletion item: its time, sealed with the record's key (the vault key for an override). */
export async function sealDeletion(key: CryptoKey, place: DeletionPlace, ver: number, at: number): Promise<string> {
  return cipherToWire(await sealJson(key, { at } satisfies DeletionSeal, deletionAd(place, ver)));
}

/** A deletion holding a secret's remains: padded like values, so its size tells a server only a bucket. */
export async function sealDeletionWith(key: CryptoKey, place: DeletionPlace, ver: number, seal: DeletionSeal): Promise<string> {
  return cipherToWire(await sealPaddedJson(key, seal, deletionAd(place, ver)));
}

/**
 * The version of a deletion the server sent, once its seal opens where this device holds the
 * record. Undefined for anything else: no seal (invented, or made by a version of Keysmith before
 * deletions were sealed), or one sealed for another record or version.
 */
export async function openDeletion(
  key: CryptoKey,
  place: DeletionPlace,
  item: ServerItem,
): Promise<{ ver: number; at: number; remains: boolean } | undefined> {
  const ver = claimedVer(item);
  if (ver === 0 || typeof item.ciphertext.gone !== 'string') return undefined;
  try {
    const seal = await openJson<DeletionSeal>(key, cipherFromWire(item.ciphertext.gone), deletionAd(place, ver));
    return { ver, at: typeof seal.at === 'number' ? seal.at : 0, remains: seal.remains !== undefined };
  } catch (error) {
    if (error instanceof ItemShapeError || error instanceof Error) return undefined;
    throw error;
  }
}

/** Inside a write transaction over `sync`: remembers the versions of records deleted, never lowering one. */
export async function noteGone(tx: WriteTx, versions: Record<string, number>): Promise<void> {
  if (Object.keys(versions).length === 0) return;
  const store = tx.objectStore('sync');
  const log = ((await store.get('gone')) as GoneLog | undefined) ?? {};
  for (const [id, ver] of Object.entries(versions)) log[id] = Math.max(log[id] ?? 0, ver);
  await store.put(log, 'gone');
}

export async function readGone(ctx: VaultContext): Promise<GoneLog> {
  return ((await ctx.db.get('sync', 'gone')) as GoneLog | undefined) ?? {};
}
