// A copy of a record whose two versions are both kept until the user chooses, opened where it is
// bound: the record, and what it says. Two copies that say the same are one choice made on two
// devices (alike.ts, apply.ts); a conflict's mark carries a copy that must open (conflict-marks.ts).
import { secretAd } from '../vault/binding';
import { openJson, openText } from '../vault/cipher';
import { metaOf } from '../vault/env-index';
import type { OverrideRecord, SecretRecord } from '../vault/schema';
import { openOverride } from '../vault/secret-records';
import type { SecretMeta } from '../vault/types';

export interface Opened<R> {
  record: R;
  /** What it says, comparable across devices (no time or device it was written on). */
  says: string;
}

/** A secret's name, path, tags, comment, websites and value (throws when either field does not open). */
export async function openSecretRecord(safeKey: CryptoKey, r: SecretRecord): Promise<Opened<SecretRecord>> {
  const [meta, value] = await Promise.all([
    openJson<SecretMeta>(safeKey, r.meta, secretAd(r, 'meta')),
    openText(safeKey, r.value, secretAd(r, 'value')),
  ]);
  return { record: r, says: JSON.stringify([metaOf(meta), value]) };
}

/** A personal override's value and on/off, both sealed with the vault key (throws when it does not open). */
export async function openOverrideRecord(vaultKey: CryptoKey, r: Omit<OverrideRecord, 'active'>): Promise<Opened<OverrideRecord>> {
  const state = await openOverride(vaultKey, { ...r, active: false });
  return { record: { ...r, active: state.active }, says: JSON.stringify([state.value, state.active]) };
}
