// Every kind of sync item, one entry each: where its record lives, how it becomes an item and back,
// what seals it and where that seal is bound, how it is sealed again above another version, and
// where it comes in a push and in a pull. The rest of lib/sync asks this table instead of branching
// on a kind's name, so a new kind (team sharing will add several) is one entry here (STYLE.md 12:
// one registry of model kinds, as Linear's ModelRegistry). What is done with an item is decided
// alike for every kind (decide.ts), by the rules an entry names.
import type { ItemKind, SealedKind } from '../vault/binding';
import type { VaultContext } from '../vault/context';
import type { EnvironmentRecord, OverrideRecord, SafeRecord, SecretRecord, ServerItem } from '../vault/schema';
import type { UnlockedKeys } from '../vault/session-keys';
import type { DeletionPlace } from './deletions';
import {
  environmentFromItem,
  environmentItem,
  overrideFromItem,
  overrideItem,
  safeFromItem,
  safeItem,
  secretFromItem,
  secretItem,
} from './items';
import { openOverrideRecord, openSecretRecord, type Opened } from './open-record';
import { resealEnvironment, resealOverride, resealSafe, resealSecret } from './reseal';

/** The vault's record of each kind. */
export interface Records {
  safe: SafeRecord;
  environment: EnvironmentRecord;
  secret: SecretRecord;
  override: OverrideRecord;
}

/** An item read into its record's shape, not yet opened (what is sealed inside is not known yet). */
export interface Unopened {
  safe: SafeRecord;
  environment: Omit<EnvironmentRecord, 'protected' | 'position'>;
  secret: SecretRecord;
  override: Omit<OverrideRecord, 'active'>;
}

/** What an edit on two devices at once comes to (decide.ts). */
export type OnBothEdited =
  /** Both copies kept until the user chooses (a secret, a personal override). */
  | 'keep-both'
  /** This device's copy stays, sealed again above the other's version (a name: the last to sync wins). */
  | 'mine-above';

/** What an edit here meets when the server deleted the record (decide.ts). */
export type OnDeletedThere =
  /** The edit is kept, sealed again above the deletion (a secret, a personal override). */
  | 'edit-wins'
  /** The deletion is taken: a safe or an environment goes with everything in it. */
  | 'deletion-wins';

export interface RecordKind<K extends ItemKind> {
  kind: K;
  /**
   * Push and pull order: a safe before its environments, an environment before what it holds, a
   * secret before its personal override (the override's index entry is its secret's), so the server
   * never sees an item before its safe and a device never applies one before its place.
   */
  order: number;
  /** The vault's store of its records. */
  store: 'safes' | 'environments' | 'secrets' | 'overrides';
  /** Its item id is its record's key with this after it (an override is its secret's id and `.override`). */
  suffix: string;
  /** Its record's key in its store. */
  key(record: Records[K]): string;
  /** The safe and environment it is in (an environment's own id for an environment). */
  place(record: Records[K]): { safeId: string; envId?: string };
  /** The environment an item of this kind says it is in. */
  envOfItem(item: Pick<ServerItem, 'id' | 'ciphertext'>): string | undefined;
  /** Record → item ciphertext. */
  toItem(record: Records[K]): Record<string, string>;
  /** Item → record, checked for shape only (throws ItemShapeError); `orgId` is a new safe's org. */
  fromItem(item: ServerItem, at: { now: number; orgId: string }): Unopened[K];
  /** The key that seals it: the vault key (personal: never a safe key) or its safe's key. */
  sealedBy: 'vault' | 'safe';
  /** The same record, sealed again at a higher version without changing what it says. */
  reseal(key: CryptoKey, record: Records[K], ver: number, now: number): Promise<Records[K]>;
  onBothEdited: OnBothEdited;
  onDeletedThere: OnDeletedThere;
  /** Its deletion takes everything in it (the server's safe route, not an item write). */
  holdsOthers: boolean;
  /** The kind of record it belongs to, under the same key: gone with it (an override with its secret). */
  belongsTo?: ItemKind;
  /** Two devices sending it with the same content at once is no conflict (alike.ts opens both). */
  comparesContent: boolean;
  /**
   * A copy opened where it is bound, and what it says (throws when it does not open): the kinds
   * whose two copies are kept, so that copies can be compared and a conflict's mark opened.
   */
  open?(key: CryptoKey, record: Unopened[K]): Promise<Opened<Records[K]>>;
  /** In its safe's manifest (manifest.ts), under this code, and counted as this in the status line. */
  listed?: { code: number; countsAs: 'secret' | 'environment' };
}

export type RecordKinds = { [K in ItemKind]: RecordKind<K> };

export const KINDS: RecordKinds = {
  safe: {
    kind: 'safe',
    order: 0,
    store: 'safes',
    suffix: '',
    key: (r) => r.id,
    place: (r) => ({ safeId: r.id }),
    envOfItem: () => undefined,
    toItem: (r) => safeItem(r),
    fromItem: (item, at) => safeFromItem(item, at.orgId),
    sealedBy: 'safe',
    reseal: (key, r, ver) => resealSafe(key, r, ver),
    onBothEdited: 'mine-above',
    onDeletedThere: 'deletion-wins',
    holdsOthers: true,
    comparesContent: false,
  },
  environment: {
    kind: 'environment',
    order: 1,
    store: 'environments',
    suffix: '',
    key: (r) => r.id,
    place: (r) => ({ safeId: r.safeId, envId: r.id }),
    envOfItem: (item) => item.id,
    toItem: (r) => environmentItem(r),
    fromItem: (item) => environmentFromItem(item),
    sealedBy: 'safe',
    reseal: (key, r, ver) => resealEnvironment(key, r, ver),
    onBothEdited: 'mine-above',
    onDeletedThere: 'deletion-wins',
    holdsOthers: false,
    comparesContent: false,
    listed: { code: 0, countsAs: 'environment' },
  },
  secret: {
    kind: 'secret',
    order: 2,
    store: 'secrets',
    suffix: '',
    key: (r) => r.id,
    place: (r) => ({ safeId: r.safeId, envId: r.envId }),
    envOfItem: (item) => item.ciphertext.env,
    toItem: (r) => secretItem(r),
    fromItem: (item, at) => secretFromItem(item, at.now),
    sealedBy: 'safe',
    reseal: (key, r, ver, now) => resealSecret(key, r, ver, now),
    onBothEdited: 'keep-both',
    onDeletedThere: 'edit-wins',
    holdsOthers: false,
    comparesContent: true,
    open: (key, r) => openSecretRecord(key, r),
    listed: { code: 1, countsAs: 'secret' },
  },
  override: {
    kind: 'override',
    order: 3,
    store: 'overrides',
    suffix: '.override',
    key: (r) => r.secretId,
    place: (r) => ({ safeId: r.safeId, envId: r.envId }),
    envOfItem: (item) => item.ciphertext.env,
    toItem: (r) => overrideItem(r),
    fromItem: (item, at) => overrideFromItem(item, at.now),
    sealedBy: 'vault',
    reseal: (key, r, ver, now) => resealOverride(key, r, ver, now),
    onBothEdited: 'keep-both',
    onDeletedThere: 'edit-wins',
    holdsOthers: false,
    belongsTo: 'secret',
    // One choice about a conflict made on two devices at once sends the same value and on/off from both.
    comparesContent: true,
    open: (key, r) => openOverrideRecord(key, r),
    listed: { code: 2, countsAs: 'secret' },
  },
};

/**
 * Items that are no record of the vault, taken in after the records they speak of: a conflict's
 * mark after the page's records (conflict-marks.ts), a safe's manifest once the pull is complete
 * (manifest-store.ts). Each is bound to its kind. A manifest is sealed with its safe's key; a mark
 * with the key of the record it marks (`marked`: a secret's with its safe's, a personal override's
 * with the vault key, so no one the safe is shared with can read it). A mark's item id is the marked
 * item's id with the suffix after it.
 */
export const NOTE_KINDS = {
  conflict: { kind: 'conflict', order: 4, suffix: '.conflict', sealedBy: 'marked', taken: 'after-page' },
  manifest: { kind: 'manifest', order: 5, suffix: '.manifest', sealedBy: 'safe', taken: 'after-pull' },
} as const satisfies Record<
  Exclude<SealedKind, ItemKind>,
  { kind: SealedKind; order: number; suffix: string; sealedBy: 'safe' | 'marked'; taken: string }
>;

/** Every record kind, in push and pull order. */
export const RECORD_KINDS: readonly RecordKind<ItemKind>[] = (Object.values(KINDS) as RecordKind<ItemKind>[]).sort(
  (a, b) => a.order - b.order,
);

/** The kinds whose two copies are kept until the user chooses: what a conflict (and its mark) can be about. */
export const KEPT_BOTH: readonly RecordKind<ItemKind>[] = RECORD_KINDS.filter((spec) => spec.onBothEdited === 'keep-both' && spec.open);

/** Of those kinds, the one an item id names: the longest suffix it ends with (`<secret id>.override`, then a secret's bare id). */
export function keptKindOf(itemId: string): RecordKind<ItemKind> | undefined {
  return [...KEPT_BOTH].sort((a, b) => b.suffix.length - a.suffix.length).find((spec) => itemId.endsWith(spec.suffix));
}

/** The entry of a kind named by the server or the outbox; undefined for a kind no record has. */
export function kindOf(kind: string): RecordKind<ItemKind> | undefined {
  return Object.hasOwn(KINDS, kind) ? (KINDS[kind as ItemKind] as RecordKind<ItemKind>) : undefined;
}

/** An item's id, from its record's key. */
export const itemIdOf = (spec: RecordKind<ItemKind>, key: string) => `${key}${spec.suffix}`;

/** A record's key in its store, from its item's id. */
export const keyOfItem = (spec: RecordKind<ItemKind>, itemId: string) =>
  spec.suffix && itemId.endsWith(spec.suffix) ? itemId.slice(0, -spec.suffix.length) : itemId;

/** Where a record's sealed deletion is bound: its kind, safe and key (lib/sync/deletions.ts). */
export function deletionPlaceOf<K extends ItemKind>(spec: RecordKind<K>, record: Records[K]): DeletionPlace {
  return { kind: spec.kind, safeId: spec.place(record).safeId, id: spec.key(record) };
}

/**
 * The key that seals a record of this kind here: the vault key, or its safe's (undefined when the
 * safe is not here). A safe key that does not open throws VaultError, as `keys.safeKey` does.
 */
export async function sealingKeyOf<K extends ItemKind>(
  ctx: VaultContext,
  keys: UnlockedKeys,
  spec: RecordKind<K>,
  record: Records[K],
): Promise<CryptoKey | undefined> {
  if (spec.sealedBy === 'vault') return keys.vaultKey;
  const safe = await ctx.db.get('safes', spec.place(record).safeId);
  return safe && keys.safeKey(safe);
}
