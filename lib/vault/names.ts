// The names of safes and environments: sealed under the safe key, opened in one place with one error policy.
import { ENV_NAME_AD, SAFE_NAME_AD } from './associated-data';
import { openText, sealText } from './cipher';
import { orDamaged } from './damaged';
import { isVaultError } from './errors';
import type { Cipher } from './schema';
import { sameName } from './validate';

export type NamedKind = 'safe' | 'environment';

/** A safe or environment record: its id is part of its name's associated data. */
export interface Named {
  id: string;
  name: Cipher;
}

const NAME_AD = { safe: SAFE_NAME_AD, environment: ENV_NAME_AD } as const;

export function sealName(kind: NamedKind, safeKey: CryptoKey, id: string, name: string): Promise<Cipher> {
  return sealText(safeKey, name, NAME_AD[kind](id));
}

/** The name, or VaultError('damaged') naming the kind when it does not decrypt. */
export function openName(kind: NamedKind, safeKey: CryptoKey, record: Named): Promise<string> {
  return orDamaged(openText(safeKey, record.name, NAME_AD[kind](record.id)), kind);
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
    const name = await safeKeyOf(record).then((key) => openName(kind, key, record)).catch(skipDamaged);
    if (name !== null && sameName(name, wanted)) return { record, name };
  }
  return undefined;
}

function skipDamaged(error: unknown): null {
  if (isVaultError(error) && error.code === 'damaged') return null;
  throw error;
}
