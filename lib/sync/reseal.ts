// Seals a record again at a higher version without changing what it says: when this device's copy
// wins over one it has seen from the sync server, it must carry a version above that one, or other
// devices would take it for a replayed old copy (lib/vault/binding.ts).
import { openJson, openText } from '../vault/cipher';
import { secretAd } from '../vault/binding';
import { openName, sealName } from '../vault/names';
import { openFlags, sealFlags } from '../vault/safe-records';
import type { EnvironmentRecord, OverrideRecord, SafeRecord, SecretRecord } from '../vault/schema';
import { openOverride, sealOverride, sealSecret } from '../vault/secret-records';
import type { SecretMeta } from '../vault/types';
import { metaOf } from '../vault/env-index';

export async function resealSafe(safeKey: CryptoKey, r: SafeRecord, ver: number): Promise<SafeRecord> {
  const name = await openName('safe', safeKey, r);
  return { ...r, ver, name: await sealName('safe', safeKey, { id: r.id, ver }, name) };
}

export async function resealEnvironment(safeKey: CryptoKey, r: EnvironmentRecord, ver: number): Promise<EnvironmentRecord> {
  const [name, flags] = await Promise.all([openName('environment', safeKey, r), openFlags(safeKey, r)]);
  const place = { id: r.id, safeId: r.safeId, ver };
  return {
    ...r,
    ver,
    name: await sealName('environment', safeKey, place, name),
    flags: await sealFlags(safeKey, place, flags),
    ...flags,
  };
}

export async function resealSecret(safeKey: CryptoKey, r: SecretRecord, ver: number, now: number): Promise<SecretRecord> {
  const [meta, value] = await Promise.all([
    openJson<SecretMeta>(safeKey, r.meta, secretAd(r, 'meta')),
    openText(safeKey, r.value, secretAd(r, 'value')),
  ]);
  const entry = { ...metaOf(meta), id: r.id, hasOverride: false, overrideActive: false };
  return sealSecret({ safe: { id: r.safeId }, env: { id: r.envId }, safeKey }, entry, value, now, ver, r);
}

export async function resealOverride(vaultKey: CryptoKey, r: OverrideRecord, ver: number, now: number): Promise<OverrideRecord> {
  const state = await openOverride(vaultKey, r);
  return sealOverride(vaultKey, r, state, now, ver, r);
}
