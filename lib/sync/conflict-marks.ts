// A conflict is found by the device that syncs second: the server refuses its push, or hands it the
// other device's copy while its own edit waits. The device that synced first holds the server's copy
// and would show "Synced at" and its own value until the choice arrives. So the finder leaves a mark
// on the server, and every device of the account shows the conflict until one of them settles it.
//
// A conflict is about a secret or a personal override (the kinds whose two copies are kept,
// kinds.ts). Its mark is an item `<item id>.conflict` of kind `conflict` (`<secret id>.conflict`,
// `<secret id>.override.conflict`) holding the finder's held copy (its ciphertexts as sealed, bound
// to the item, its environment and its version) and a `mark` field sealed with the same key as that
// copy (a secret's safe key; the vault key for a personal override, so no one the safe is shared with
// can read it) and bound to the same place, item id and version, saying which version of the
// server's copy it conflicts with (`against`). The server learns that an item of that safe is in
// conflict and nothing else; it cannot invent a mark, move one to another item, or pass an old
// sealing of the item off as one (no `mark` seal opens for it).
//
// Settling a conflict that carries a mark sends a new version above both sides, so every device
// holds a version above the mark's `against` afterwards and a replayed old mark is ignored (never
// shown), and deletes the mark with a sealed deletion bound to the mark's version (sync-deletions.ts):
// the finder then drops its held edit for the version the choice sent, and the others their view.
import { utf8Encode } from '../crypto/encoding';
import { boundAd } from '../vault/binding';
import { openJson, sealJson } from '../vault/cipher';
import type { VaultContext, WriteTx } from '../vault/context';
import { isNameClash } from '../vault/name-clashes';
import type { ConflictRecord, MarkDeletions, ServerItem } from '../vault/schema';
import { unlocked, type UnlockedKeys } from '../vault/session-keys';
import type { ItemKind } from '../vault/binding';
import type { RefusalReason } from './apply-rules';
import { openDeletion, sealDeletion } from './deletions';
import { cipherFromWire, cipherToWire, claimedVer, ItemShapeError, type ItemWrite } from './items';
import { KINDS, keptKindOf, keyOfItem, NOTE_KINDS, type RecordKind, type Records, sealingKeyOf } from './kinds';
import { decideMark, MARK_OUTCOME_OF, type MarkDecision, type MarkFacts } from './decide';

export const MARK_KIND = NOTE_KINDS.conflict.kind;
const SUFFIX = NOTE_KINDS.conflict.suffix;

/** A mark's item id, from the id of the item in conflict (a secret's, or its override's). */
export const markItemId = (itemId: string) => `${itemId}${SUFFIX}`;
export const isMark = (item: { kind: string }) => item.kind === MARK_KIND;

/** A mark's write: the wire's item write, of the mark's own kind (no record of the vault stores it). */
export type MarkWrite = Omit<ItemWrite, 'kind'> & { kind: typeof MARK_KIND };

/** What a mark says inside: when it was made, and the server copy's version it conflicts with. */
interface MarkSeal {
  at: number;
  against: number;
}

const markAd = (safeId: string, envId: string, itemId: string, ver: number) => boundAd(MARK_KIND, safeId, envId, itemId, 'mark', ver);
const deletionPlace = (safeId: string, itemId: string) => ({ kind: MARK_KIND, safeId, id: itemId }) as const;

type Held = Records[ItemKind] & { ver?: number; seen?: number; rev?: number };

/**
 * An edit conflict on a record (a secret, a personal override), not a name clash: its kind, and the
 * record held here. A record whose owner is gone (an override whose secret was deleted here, kept
 * unseen in case the secret comes back) counts as not held: no choice about it can be shown or made.
 */
async function markedOf(ctx: VaultContext, itemId: string): Promise<{ spec: RecordKind<ItemKind>; local?: Held } | undefined> {
  const spec = keptKindOf(itemId);
  if (!spec) return undefined;
  const key = keyOfItem(spec, itemId);
  const [local, owner] = await Promise.all([
    ctx.db.get(spec.store, key) as Promise<Held | undefined>,
    spec.belongsTo ? ctx.db.get(KINDS[spec.belongsTo].store, key) : true,
  ]);
  return { spec, local: owner ? local : undefined };
}

/** The key that seals a record and its mark here; undefined when it is not here or does not open. */
async function keyOf(ctx: VaultContext, keys: UnlockedKeys, spec: RecordKind<ItemKind>, record: Held): Promise<CryptoKey | undefined> {
  return sealingKeyOf(ctx, keys, spec, record).catch(() => undefined);
}

/**
 * What this device has to tell the server: a mark for each conflict it found and has not marked (or
 * whose server copy moved since), and the deletion of each mark whose conflict was settled here.
 */
export async function marksToSend(ctx: VaultContext): Promise<MarkWrite[]> {
  const keys = await unlocked(ctx);
  const out: MarkWrite[] = [];
  for (const conflict of await ctx.db.getAll('conflicts')) {
    if (isNameClash(conflict) || conflict.theirs.deleted || conflict.mark?.from === 'there') continue;
    const against = claimedVer(conflict.theirs);
    if (conflict.mark && conflict.mark.against === against) continue;
    const { spec, local: record } = (await markedOf(ctx, conflict.id)) ?? {};
    const key = spec && record && (await keyOf(ctx, keys, spec, record));
    if (!spec || !record?.ver || !key) continue;
    const { safeId, envId } = spec.place(record);
    const seal = await sealJson(key, { at: ctx.now(), against } satisfies MarkSeal, markAd(safeId, envId!, conflict.id, record.ver));
    out.push({
      id: markItemId(conflict.id),
      safe_id: safeId,
      kind: MARK_KIND,
      baseRevision: conflict.mark?.revision ?? 0,
      deleted: false,
      ciphertext: { ...spec.toItem(record), mark: cipherToWire(seal) },
    });
  }
  const deletions = ((await ctx.db.get('sync', 'marks')) as MarkDeletions | undefined) ?? {};
  for (const [itemId, d] of Object.entries(deletions)) {
    out.push({
      id: markItemId(itemId),
      safe_id: d.safeId,
      kind: MARK_KIND,
      baseRevision: d.revision,
      deleted: true,
      ciphertext: { ver: String(d.ver), gone: d.gone },
    });
  }
  return out;
}

/**
 * The server's answer to the marks sent: a mark written is remembered on its conflict, a deletion
 * written is forgotten. Returns the writes to send once more on the server's revision (a mark left
 * there by an earlier conflict on the same secret, or by another device).
 */
export async function marksSent(
  ctx: VaultContext,
  writes: MarkWrite[],
  results: { id: string; ok: boolean; revision?: number; conflict?: ServerItem | null }[],
): Promise<MarkWrite[]> {
  const again: MarkWrite[] = [];
  const byId = new Map(writes.map((w) => [w.id, w]));
  const tx = ctx.db.transaction(['conflicts', 'sync'], 'readwrite') as WriteTx;
  const deletions = ((await tx.objectStore('sync').get('marks')) as MarkDeletions | undefined) ?? {};
  for (const result of results) {
    const write = byId.get(result.id);
    if (!write) continue;
    const itemId = write.id.slice(0, -SUFFIX.length);
    if (!result.ok) {
      const theirs = result.conflict;
      if (write.deleted && (!theirs || theirs.deleted)) delete deletions[itemId];
      else if (!write.deleted && theirs?.deleted && (await settledThere(tx, itemId, theirs))) continue;
      else if (theirs && theirs.revision !== write.baseRevision) again.push({ ...write, baseRevision: theirs.revision });
      continue;
    }
    if (write.deleted) {
      delete deletions[itemId];
      continue;
    }
    const conflict = await tx.objectStore('conflicts').get(itemId);
    if (!conflict || isNameClash(conflict)) continue; // settled meanwhile: its deletion follows
    const ver = Number(write.ciphertext.ver);
    await tx.objectStore('conflicts').put({
      ...conflict,
      mark: { from: 'here', revision: result.revision ?? 0, ver, against: claimedVer(conflict.theirs) },
    });
  }
  await tx.objectStore('sync').put(deletions, 'marks');
  await tx.done;
  return again;
}

/**
 * Whether the server refused a mark sent here again (against a newer server copy) because another
 * device deleted this device's mark: the conflict was settled there. Written over, the mark would
 * outlive the choice on every device. The deletion comes with the next pull, which opens it before
 * this device marks anything again. A server that answers so without a deletion that opens only
 * withholds the mark, which it could always do (docs/architecture.md).
 */
async function settledThere(tx: WriteTx, itemId: string, theirs: ServerItem): Promise<boolean> {
  const conflict = await tx.objectStore('conflicts').get(itemId);
  return !!conflict && !isNameClash(conflict) && conflict.mark?.from === 'here' && conflict.mark.ver === claimedVer(theirs);
}

/**
 * Inside the transaction that settles a conflict carrying a mark: its deletion, sealed now with the
 * key that seals the record in conflict (the caller holds it), waits to be sent.
 */
export async function sealMarkDeletion(
  key: CryptoKey,
  conflict: ConflictRecord,
  at: number,
): Promise<((tx: WriteTx) => Promise<unknown>) | undefined> {
  const mark = conflict.mark;
  if (!mark) return undefined;
  const gone = await sealDeletion(key, deletionPlace(conflict.safeId, conflict.id), mark.ver, at);
  return async (tx) => {
    const store = tx.objectStore('sync');
    const deletions = ((await store.get('marks')) as MarkDeletions | undefined) ?? {};
    deletions[conflict.id] = { safeId: conflict.safeId, ver: mark.ver, revision: mark.revision, gone };
    await store.put(deletions, 'marks');
  };
}

/**
 * The id of *Keep both*'s copy for a conflict that carries a mark: the same on every device that
 * settles it (a UUID's shape, drawn from the secret's id and the mark's version by SHA-256).
 */
export async function copyIdOf(secretId: string, ver: number): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8Encode(`keysmith/conflict-copy/${secretId}/${ver}`)));
  digest[6] = (digest[6]! & 0x0f) | 0x40;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = [...digest.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export type MarkOutcome = 'applied' | 'conflict' | 'same' | RefusalReason;

/**
 * Marks from the server, after the page's records are in. A live mark shows the conflict here
 * (unless this device holds an edit of its own, which its push will meet, or the mark conflicts
 * with a copy older than this device's: settled since, or replayed). A mark's deletion for the
 * version this device shows ends its view; on the finder, it takes the copy the choice sent.
 * `settle` is the vault's *Keep theirs* for the conflict's id, without sending anything (the choice
 * was made elsewhere). What to do is decideMark's (decide.ts); this gathers what it needs and does it.
 */
export async function applyMark(ctx: VaultContext, item: ServerItem, settle: (itemId: string) => Promise<void>): Promise<MarkOutcome> {
  const facts: MarkFacts = {
    malformed: !item.id.endsWith(SUFFIX),
    held: false,
    deleted: item.deleted,
    ver: claimedVer(item),
    revision: item.revision,
    conflictHere: false,
    pending: false,
    heldVer: 0,
  };
  if (facts.malformed) return markOutcomeOf(decideMark(facts));
  const itemId = item.id.slice(0, -SUFFIX.length);
  const keys = await unlocked(ctx);
  const [marked, held, pending] = await Promise.all([markedOf(ctx, itemId), ctx.db.get('conflicts', itemId), ctx.db.get('outbox', itemId)]);
  const spec = marked?.spec;
  const local = marked?.local;
  const conflict = held && !isNameClash(held) ? held : undefined;
  const place = spec && local ? spec.place(local) : undefined;
  const key = spec && local && place?.safeId === item.safe_id ? await keyOf(ctx, keys, spec, local) : undefined;
  Object.assign(facts, {
    held: local !== undefined,
    moved: !key,
    mark: conflict?.mark,
    conflictHere: conflict !== undefined,
    pending: !!pending && !pending.deleted,
    heldVer: Math.max(local?.ver ?? 0, local?.seen ?? 0),
  } satisfies Partial<MarkFacts>);
  let decision = decideMark(facts);
  let seal: MarkSeal | undefined;
  let theirs: ServerItem | undefined;
  if (decision === 'open-first' && item.deleted) {
    const deletion = await openDeletion(key!, deletionPlace(place!.safeId, itemId), item);
    decision = decideMark({ ...facts, opens: deletion !== undefined });
  } else if (decision === 'open-first') {
    ({ seal, theirs } = await openMark(ctx, key!, spec!, itemId, local!, item));
    decision = decideMark({ ...facts, opens: seal !== undefined, against: typeof seal?.against === 'number' ? seal.against : undefined });
  }
  if (decision === 'end-view') await ctx.db.delete('conflicts', itemId);
  else if (decision === 'settle') await settle(itemId);
  else if (decision === 'show') {
    await ctx.db.put('conflicts', {
      id: itemId,
      safeId: place!.safeId,
      envId: place!.envId!,
      theirs: theirs!,
      at: typeof seal!.at === 'number' ? seal!.at : ctx.now(),
      mark: { from: 'there', revision: item.revision, ver: facts.ver, against: seal!.against },
    });
  }
  return markOutcomeOf(decision);
}

function markOutcomeOf(decision: MarkDecision): MarkOutcome {
  if (decision === 'open-first') throw new Error('undecided: open-first');
  return MARK_OUTCOME_OF[decision];
}

/**
 * A mark's seal and its copy of the record, opened where it claims to be (this item, its safe and
 * environment, with the key that seals the record here); no seal when either does not open.
 */
async function openMark(
  ctx: VaultContext,
  key: CryptoKey,
  spec: RecordKind<ItemKind>,
  itemId: string,
  local: Held,
  item: ServerItem,
): Promise<{ seal?: MarkSeal; theirs?: ServerItem }> {
  const ver = claimedVer(item);
  const { safeId, envId } = spec.place(local);
  if (ver === 0 || !envId || spec.envOfItem(item) !== envId || !spec.open) return {};
  const { mark, ...copy } = item.ciphertext;
  const theirs: ServerItem = {
    id: itemId,
    safe_id: safeId,
    kind: spec.kind,
    // Not on the server: settling it sends a new version on top of the copy held here.
    revision: local.rev ?? 0,
    deleted: false,
    ciphertext: copy,
  };
  try {
    const seal = await openJson<MarkSeal>(key, cipherFromWire(mark), markAd(safeId, envId, itemId, ver));
    const opened = spec.fromItem(theirs, { now: ctx.now(), orgId: '' });
    const there = spec.place(opened as Records[ItemKind]);
    if (spec.key(opened as Records[ItemKind]) !== spec.key(local) || there.envId !== envId || there.safeId !== safeId) return {};
    await spec.open(key, opened);
    return { seal, theirs };
  } catch (error) {
    if (error instanceof ItemShapeError || error instanceof Error) return {};
    throw error;
  }
}
