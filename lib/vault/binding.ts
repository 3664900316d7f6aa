// Where each synced ciphertext lives, bound into its associated data so that a sync server cannot
// move it, swap it with another, mix fields of two versions, or roll it back (docs/architecture.md,
// "Record binding").
import { utf8Encode } from '../crypto/encoding';
import { ENV_NAME_AD, HISTORY_AD, META_AD, OVERRIDE_AD, SAFE_NAME_AD, VALUE_AD } from './associated-data';

/** The kinds of record a sync server stores, each as one item. */
export type ItemKind = 'safe' | 'environment' | 'secret' | 'override';

/** What a sealing is bound to: an item kind, a conflict's mark (lib/sync/conflict-marks.ts) or a safe's manifest (lib/sync/manifest-store.ts). */
export type SealedKind = ItemKind | 'conflict' | 'manifest';

/**
 * `keysmith/v2/<kind>/<safe id>/<environment id or ->/<item id>/<field>/<version>`.
 *
 * - safe and environment: a record moved to another safe or environment fails to open;
 * - item id and field: a ciphertext copied onto another item or field fails to open;
 * - version: the record's edit counter, the same for every field of one version, so a server cannot
 *   combine the value of one version with the names of another; a device refuses a version lower
 *   than one it has seen (a replayed old revision).
 *
 * Records made before this binding have no `ver` and keep `keysmith/v1/<kind>/<id>/<field>` until
 * the first unlock re-seals them (upgrade.ts).
 */
export function boundAd(
  kind: SealedKind,
  safeId: string,
  envId: string | undefined,
  id: string,
  field: string,
  ver: number,
): Uint8Array<ArrayBuffer> {
  return utf8Encode(`keysmith/v2/${kind}/${safeId}/${envId ?? '-'}/${id}/${field}/${ver}`);
}

/** A record's edit counter; absent on records sealed before the binding (then the v1 associated data applies). */
export interface Versioned {
  ver?: number;
}

export function safeNameAd(r: { id: string } & Versioned): Uint8Array<ArrayBuffer> {
  return r.ver === undefined ? SAFE_NAME_AD(r.id) : boundAd('safe', r.id, undefined, r.id, 'name', r.ver);
}

export function envAd(r: { id: string; safeId: string } & Versioned, field: 'name' | 'flags'): Uint8Array<ArrayBuffer> {
  if (r.ver === undefined) return ENV_NAME_AD(r.id);
  return boundAd('environment', r.safeId, r.id, r.id, field, r.ver);
}

export function secretAd(
  r: { id: string; safeId: string; envId: string } & Versioned,
  field: 'meta' | 'value' | 'history',
): Uint8Array<ArrayBuffer> {
  if (r.ver === undefined) return field === 'meta' ? META_AD(r.id) : field === 'value' ? VALUE_AD(r.id) : HISTORY_AD(r.id);
  return boundAd('secret', r.safeId, r.envId, r.id, field, r.ver);
}

export function overrideAd(r: { secretId: string; safeId: string; envId: string } & Versioned): Uint8Array<ArrayBuffer> {
  return r.ver === undefined ? OVERRIDE_AD(r.secretId) : boundAd('override', r.safeId, r.envId, r.secretId, 'value', r.ver);
}

/** How far a version the server claims without proof (a tombstone's, or a copy not opened) may lift a record's own. */
export const MAX_VER_STEP = 1_000_000;

/**
 * A version above this record's own and above one the server claims. The claim is unauthenticated,
 * so it is capped: a hostile server could otherwise push the counter past its nine digits, after
 * which no device would take the record. It is never remembered as `seen` either.
 */
export function verAbove(own: number | undefined, claimed: number): number {
  return Math.max(own ?? 0, Math.min(claimed, (own ?? 0) + MAX_VER_STEP)) + 1;
}

/** The next version of a record: one more than any this device has seen of it. */
export function nextVer(r: Versioned | undefined, seen = 0): number {
  return Math.max(r?.ver ?? 0, seen) + 1;
}
