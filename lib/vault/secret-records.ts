// Seals and opens one secret's record (meta and value) and its personal override, reading the override first while active.
import { openJson, openText, sealPaddedJson, sealPaddedText } from './cipher';
import { overrideAd, secretAd } from './binding';
import type { VaultContext } from './context';
import { damagedError, orDamaged } from './damaged';
import { metaOf, type IndexEntry } from './env-index';
import type { OverrideRecord, OverrideState, SecretRecord, Synced } from './schema';
import type { UnlockedKeys } from './session-keys';
import type { Author, Secret, SecretMeta } from './types';
import { type HistoryEntry, sealHistory } from './history';
import { referencesIn } from './references';

/** Many records in ONE read transaction (a transaction per record is far slower). */
export async function getSecretRecords(ctx: VaultContext, ids: string[]): Promise<(SecretRecord | undefined)[]> {
  const tx = ctx.db.transaction('secrets');
  const records = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  return records;
}

/** What sealing a secret needs of where it goes (a ResolvedTarget has it). */
export type SealTarget = { safe: { id: string }; env: { id: string }; safeKey: CryptoKey };

/**
 * A meta seals to at least this many bytes: with its time and author, most metas
 * (a key, a path, a few tags) fit, so a server cannot tell a short name from a longer one.
 */
const META_MIN_BYTES = 256;

/** What a version carries besides its names and value: who wrote it, and the versions before it (history.ts). */
export interface VersionExtras {
  by?: Author;
  history?: HistoryEntry[];
}

/**
 * A secret's record at version `ver`: every field is sealed again, since the version is part of
 * each one's associated data. `previous` carries over the server revision it is based on and the
 * highest version seen. A version with earlier versions keeps them in a history field, padded to a
 * size bucket; a first version has none. The history is this device's (lib/sync/items.ts never sends it).
 */
export async function sealSecret(
  target: SealTarget,
  entry: IndexEntry,
  value: string,
  now: number,
  ver: number,
  previous?: SecretRecord,
  extras: VersionExtras = {},
): Promise<SecretRecord> {
  const place = { id: entry.id, safeId: target.safe.id, envId: target.env.id, ver };
  // The references travel with the value, sealed in the meta and copied into the index (the
  // caller's entry is that index entry), so "used by" reads names only, never every value.
  const refs = referencesIn(value);
  if (refs.length > 0) entry.refs = refs;
  else delete entry.refs;
  // When and where this version was written, sealed with it: the conflicts panel and the history
  // show it, not the server's word. The history stays on this device (it is not sent), so the meta
  // no longer marks one.
  const earlier = extras.history ?? [];
  const sealedMeta: SealedMeta = { ...metaOf(entry), writtenAt: now, ...(extras.by ? { by: extras.by } : {}) };
  const [meta, sealedValue, history] = await Promise.all([
    sealPaddedJson(target.safeKey, sealedMeta, secretAd(place, 'meta'), META_MIN_BYTES),
    sealPaddedText(target.safeKey, value, secretAd(place, 'value')),
    earlier.length > 0 ? sealHistory(target.safeKey, place, earlier) : undefined,
  ]);
  const record: SecretRecord = { ...place, meta, value: sealedValue, updatedAt: now };
  if (history) record.history = history;
  return carrySync(record, previous);
}

/**
 * A meta as sealed: the names, and on versions written while histories travelled with their
 * versions, `history: true` when the item carried one (so a server that strips it is caught, lib/sync/apply.ts).
 */
export interface SealedMeta extends SecretMeta {
  history?: true;
}

/** The shared value, or VaultError('damaged'). */
export function openValue(safeKey: CryptoKey, record: SecretRecord): Promise<string> {
  return orDamaged(openText(safeKey, record.value, secretAd(record, 'value')));
}

export async function sealOverride(
  vaultKey: CryptoKey,
  place: { secretId: string; safeId: string; envId: string },
  state: OverrideState,
  now: number,
  ver: number,
  previous?: OverrideRecord,
): Promise<OverrideRecord> {
  const bound = { secretId: place.secretId, safeId: place.safeId, envId: place.envId, ver };
  const record: OverrideRecord = {
    ...bound,
    value: await sealPaddedJson(vaultKey, { value: state.value, active: state.active }, overrideAd(bound)),
    active: state.active,
    updatedAt: now,
  };
  return carrySync(record, previous);
}

/** A new version of a record stays based on the same server revision, and remembers the highest version seen. */
function carrySync<R extends Synced>(record: R, previous: Synced | undefined): R {
  if (previous?.rev !== undefined) record.rev = previous.rev;
  if (previous?.seen !== undefined) record.seen = previous.seen;
  return record;
}

/** The override's value and whether it is active, as sealed (an older record has only its clear flag). */
export async function openOverride(vaultKey: CryptoKey, record: OverrideRecord): Promise<OverrideState> {
  if (record.ver === undefined) {
    return { value: await orDamaged(openText(vaultKey, record.value, overrideAd(record))), active: record.active };
  }
  const state = await orDamaged(openJson<OverrideState>(vaultKey, record.value, overrideAd(record)));
  if (typeof state.value !== 'string' || typeof state.active !== 'boolean') throw damagedError();
  return state;
}

export async function readValue(
  keys: UnlockedKeys,
  safeKey: CryptoKey,
  record: SecretRecord,
  override: OverrideRecord | undefined,
): Promise<{ value: string; overridden: boolean }> {
  if (override?.active) {
    const state = await openOverride(keys.vaultKey, override);
    if (state.active) return { value: state.value, overridden: true };
  }
  return { value: await openValue(safeKey, record), overridden: false };
}

export function toSecret(entry: IndexEntry, value: string, overridden: boolean): Secret {
  return { ...metaOf(entry), id: entry.id, tags: [...entry.tags], value, overridden };
}
