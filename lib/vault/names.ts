// The names of safes and environments: sealed under the safe key, opened in one place with one error policy.
import { envAd, safeNameAd, type Versioned } from './binding';
import { openText, sealText } from './cipher';
import { orDamaged } from './damaged';
import { isVaultError } from './errors';
import type { Cipher } from './schema';
import { sameName } from './validate';

export type NamedKind = 'safe' | 'environment';

/** Where a safe's or environment's name lives: its id, its safe and its version are part of the associated data. */
export interface Place extends Versioned {
  id: string;
  /** An environment's safe (a safe is its own). */
  safeId?: string;
}

/** A safe or environment record. */
export interface Named extends Place {
  name: Cipher;
}

function nameAd(kind: NamedKind, place: Place): Uint8Array<ArrayBuffer> {
  return kind === 'safe' ? safeNameAd(place) : envAd({ ...place, safeId: place.safeId ?? '' }, 'name');
}

export function sealName(kind: NamedKind, safeKey: CryptoKey, place: Place, name: string): Promise<Cipher> {
  return sealText(safeKey, name, nameAd(kind, place));
}

/** The name, or VaultError('damaged') naming the kind when it does not decrypt. */
export function openName(kind: NamedKind, safeKey: CryptoKey, record: Named): Promise<string> {
  return orDamaged(openText(safeKey, record.name, nameAd(kind, record)), kind);
}

/**
 * The first record whose name equals `wanted` (case-insensitive), with that name. A record that does
 * not open is passed over, so one damaged name never hides the others or blocks a lookup.
 */
export async function findByName<R extends Named>(
  kind: NamedKind,
  records: readonly R[],
  safeKeyOf: (record: R) => Promise<CryptoKey>,
  wanted: string,
  exceptId?: string,
): Promise<{ record: R; name: string } | undefined> {
  for (const record of records) {
    if (record.id === exceptId) continue;
    const name = await safeKeyOf(record)
      .then((key) => openName(kind, key, record))
      .catch(skipDamaged);
    if (name !== null && sameName(name, wanted)) return { record, name };
  }
  return undefined;
}

function skipDamaged(error: unknown): null {
  if (isVaultError(error) && error.code === 'damaged') return null;
  throw error;
}
