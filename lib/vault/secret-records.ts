// Seals and opens one secret's record (meta and value), reading a personal override first while active.
import { openText, sealJson, sealText } from './cipher';
import { META_AD, OVERRIDE_AD, VALUE_AD } from './associated-data';
import type { VaultContext } from './context';
import { orDamaged } from './damaged';
import { metaOf, type IndexEntry } from './env-index';
import type { OverrideRecord, SecretRecord } from './schema';
import type { UnlockedKeys } from './session-keys';
import type { ResolvedTarget } from './target';
import type { Secret } from './types';

/** Many records in ONE read transaction (a transaction per record is far slower). */
export async function getSecretRecords(ctx: VaultContext, ids: string[]): Promise<(SecretRecord | undefined)[]> {
  const tx = ctx.db.transaction('secrets');
  const records = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  return records;
}

export async function sealSecret(target: ResolvedTarget, entry: IndexEntry, value: string, now: number): Promise<SecretRecord> {
  const [meta, sealedValue] = await Promise.all([
    sealJson(target.safeKey, metaOf(entry), META_AD(entry.id)),
    sealText(target.safeKey, value, VALUE_AD(entry.id)),
  ]);
  return { id: entry.id, safeId: target.safe.id, envId: target.env.id, meta, value: sealedValue, updatedAt: now };
}

export async function readValue(
  keys: UnlockedKeys,
  safeKey: CryptoKey,
  record: SecretRecord,
  override: OverrideRecord | undefined,
): Promise<{ value: string; overridden: boolean }> {
  if (override?.active) {
    return { value: await orDamaged(openText(keys.vaultKey, override.value, OVERRIDE_AD(record.id))), overridden: true };
  }
  return { value: await orDamaged(openText(safeKey, record.value, VALUE_AD(record.id))), overridden: false };
}

export function toSecret(entry: IndexEntry, value: string, overridden: boolean): Secret {
  return { ...metaOf(entry), id: entry.id, tags: [...entry.tags], value, overridden };
}
