// A deletion is a version of its record like any edit: numbered above every version this device
// saw, sealed with the record's key and bound to its place, kind, id and version (binding.ts), so a
// sync server can neither invent one nor move one onto another record (rollback and resurrection
// attacks: ETH Zurich, "Zero Knowledge (About) Encryption", USENIX Security 2026). The vault seals
// its own deletions here; opening one the server sent, and the `gone` log, are sync's (lib/sync/deletions.ts).
import { boundAd, type SealedKind } from './binding';
import { sealJson, sealPaddedJson } from './cipher';
import { cipherToWire } from './cipher-wire';
import type { Remains } from './trash';

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
