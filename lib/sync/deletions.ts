// Deletions as sync meets them: the vault seals its own (lib/vault/deletion-seal.ts, the reasons are
// there); here one the server sent is opened where this device holds the record, and what a device
// has seen of a deleted record outlives it in the `gone` log, so a copy the server kept cannot come back.
import { openJson } from '../vault/cipher';
import type { VaultContext, WriteTx } from '../vault/context';
import { type DeletionPlace, type DeletionSeal, deletionAd } from '../vault/deletion-seal';
import type { GoneLog, ServerItem } from '../vault/schema';
import { cipherFromWire, claimedVer, ItemShapeError } from './items';

export { type DeletionPlace, type DeletionSeal, deletionAd, sealDeletion, sealDeletionWith } from '../vault/deletion-seal';

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
