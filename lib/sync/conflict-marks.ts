// A conflict is found by the device that syncs second: the server refuses its push, or hands it the
// other device's copy while its own edit waits. The device that synced first holds the server's copy
// and would show "Synced at" and its own value until the choice arrives. So the finder leaves a mark
// on the server, and every device of the account shows the conflict until one of them settles it.
//
// A mark is an item `<secret id>.conflict` of kind `conflict` holding the finder's held copy of the
// secret (its ciphertexts as sealed, bound to the secret, its environment and its version) and a
// `mark` field sealed with the safe's key and bound to the same place and version, saying which
// version of the server's copy it conflicts with (`against`). The server learns that a secret of that
// safe is in conflict and nothing else; it cannot invent a mark, move one to another secret, or pass
// an old sealing of the secret off as one (no `mark` seal opens for it).
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
import { recordKey } from '../vault/outbox';
import type { ConflictRecord, MarkDeletions, SecretRecord, ServerItem } from '../vault/schema';
import { unlocked, type UnlockedKeys } from '../vault/session-keys';
import { openTheirs } from './apply';
import type { RefusalReason } from './apply-rules';
import { openDeletion, sealDeletion } from './deletions';
import { cipherFromWire, cipherToWire, claimedVer, ItemShapeError, secretItem, type ItemWrite } from './items';
import { KINDS, NOTE_KINDS } from './kinds';
import { decideMark, MARK_OUTCOME_OF, type MarkDecision, type MarkFacts } from './decide';

export const MARK_KIND = NOTE_KINDS.conflict.kind;
const SUFFIX = NOTE_KINDS.conflict.suffix;

export const markItemId = (secretId: string) => `${secretId}${SUFFIX}`;
export const isMark = (item: { kind: string }) => item.kind === MARK_KIND;

/** A mark's write: the wire's item write, of the mark's own kind (no record of the vault stores it). */
export type MarkWrite = Omit<ItemWrite, 'kind'> & { kind: typeof MARK_KIND };

/** What a mark says inside: when it was made, and the server copy's version it conflicts with. */
interface MarkSeal {
  at: number;
  against: number;
}

const markAd = (safeId: string, envId: string, secretId: string, ver: number) => boundAd(MARK_KIND, safeId, envId, secretId, 'mark', ver);
const deletionPlace = (safeId: string, secretId: string) => ({ kind: MARK_KIND, safeId, id: secretId }) as const;

/** An edit conflict on a secret (not a name clash, not a personal override's). */
const isSecretConflict = (c: { id: string }): c is ConflictRecord => !isNameClash(c) && recordKey(c.id) === c.id;

async function safeKeyOf(ctx: VaultContext, keys: UnlockedKeys, safeId: string): Promise<CryptoKey | undefined> {
  const safe = await ctx.db.get('safes', safeId);
  return safe ? keys.safeKey(safe).catch(() => undefined) : undefined;
}

/**
 * What this device has to tell the server: a mark for each conflict it found and has not marked (or
 * whose server copy moved since), and the deletion of each mark whose conflict was settled here.
 */
export async function marksToSend(ctx: VaultContext): Promise<MarkWrite[]> {
  const keys = await unlocked(ctx);
  const out: MarkWrite[] = [];
  for (const conflict of (await ctx.db.getAll('conflicts')).filter(isSecretConflict)) {
    if (conflict.theirs.deleted || conflict.mark?.from === 'there') continue;
    const against = claimedVer(conflict.theirs);
    if (conflict.mark && conflict.mark.against === against) continue;
    const record = await ctx.db.get('secrets', conflict.id);
    const safeKey = record && (await safeKeyOf(ctx, keys, record.safeId));
    if (!record?.ver || !safeKey) continue;
    const seal = await sealJson(
      safeKey,
      { at: ctx.now(), against } satisfies MarkSeal,
      markAd(record.safeId, record.envId, record.id, record.ver),
    );
    out.push({
      id: markItemId(record.id),
      safe_id: record.safeId,
      kind: MARK_KIND,
      baseRevision: conflict.mark?.revision ?? 0,
      deleted: false,
      ciphertext: { ...secretItem(record), mark: cipherToWire(seal) },
    });
  }
  const deletions = ((await ctx.db.get('sync', 'marks')) as MarkDeletions | undefined) ?? {};
  for (const [secretId, d] of Object.entries(deletions)) {
    out.push({
      id: markItemId(secretId),
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
    const secretId = write.id.slice(0, -SUFFIX.length);
    if (!result.ok) {
      const theirs = result.conflict;
      if (write.deleted && (!theirs || theirs.deleted)) delete deletions[secretId];
      else if (theirs && theirs.revision !== write.baseRevision) again.push({ ...write, baseRevision: theirs.revision });
      continue;
    }
    if (write.deleted) {
      delete deletions[secretId];
      continue;
    }
    const conflict = await tx.objectStore('conflicts').get(secretId);
    if (!conflict || !isSecretConflict(conflict)) continue; // settled meanwhile: its deletion follows
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
 * Inside the transaction that settles a conflict carrying a mark: its deletion, sealed now (the
 * caller holds the safe key), waits to be sent.
 */
export async function sealMarkDeletion(
  safeKey: CryptoKey,
  conflict: ConflictRecord,
  at: number,
): Promise<((tx: WriteTx) => Promise<unknown>) | undefined> {
  const mark = conflict.mark;
  if (!mark) return undefined;
  const gone = await sealDeletion(safeKey, deletionPlace(conflict.safeId, conflict.id), mark.ver, at);
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
 * Marks from the server, after the page's secrets are in. A live mark shows the conflict here
 * (unless this device holds an edit of its own, which its push will meet, or the mark conflicts
 * with a copy older than this device's: settled since, or replayed). A mark's deletion for the
 * version this device shows ends its view; on the finder, it takes the copy the choice sent.
 * `settle` is the vault's *Keep theirs*, without sending anything (the choice was made elsewhere).
 * What to do is decideMark's (decide.ts); this gathers what it needs and does it.
 */
export async function applyMark(ctx: VaultContext, item: ServerItem, settle: (secretId: string) => Promise<void>): Promise<MarkOutcome> {
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
  const secretId = item.id.slice(0, -SUFFIX.length);
  const keys = await unlocked(ctx);
  const [local, held, pending] = await Promise.all([
    ctx.db.get('secrets', secretId),
    ctx.db.get('conflicts', secretId),
    ctx.db.get('outbox', secretId),
  ]);
  const conflict = held && isSecretConflict(held) ? held : undefined;
  const safeKey = local && local.safeId === item.safe_id ? await safeKeyOf(ctx, keys, local.safeId) : undefined;
  Object.assign(facts, {
    held: local !== undefined,
    moved: !safeKey,
    mark: conflict?.mark,
    conflictHere: conflict !== undefined,
    pending: !!pending && !pending.deleted,
    heldVer: Math.max(local?.ver ?? 0, local?.seen ?? 0),
  } satisfies Partial<MarkFacts>);
  let decision = decideMark(facts);
  let seal: MarkSeal | undefined;
  let theirs: ServerItem | undefined;
  if (decision === 'open-first' && item.deleted) {
    const deletion = await openDeletion(safeKey!, deletionPlace(local!.safeId, secretId), item);
    decision = decideMark({ ...facts, opens: deletion !== undefined });
  } else if (decision === 'open-first') {
    ({ seal, theirs } = await openMark(ctx, safeKey!, local!, item));
    decision = decideMark({ ...facts, opens: seal !== undefined, against: typeof seal?.against === 'number' ? seal.against : undefined });
  }
  if (decision === 'end-view') await ctx.db.delete('conflicts', secretId);
  else if (decision === 'settle') await settle(secretId);
  else if (decision === 'show') {
    await ctx.db.put('conflicts', {
      id: local!.id,
      safeId: local!.safeId,
      envId: local!.envId,
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

/** A mark's seal and its copy of the secret, opened where it claims to be; no seal when either does not open. */
async function openMark(
  ctx: VaultContext,
  safeKey: CryptoKey,
  local: SecretRecord,
  item: ServerItem,
): Promise<{ seal?: MarkSeal; theirs?: ServerItem }> {
  const ver = claimedVer(item);
  const envId = item.ciphertext.env;
  if (ver === 0 || envId !== local.envId) return {};
  const theirs: ServerItem = {
    id: local.id,
    safe_id: local.safeId,
    kind: KINDS.secret.kind,
    // Not on the server: settling it sends a new version on top of the copy held here.
    revision: local.rev ?? 0,
    deleted: false,
    ciphertext: { env: envId, ver: String(ver), meta: item.ciphertext.meta ?? '', value: item.ciphertext.value ?? '' },
  };
  try {
    const seal = await openJson<MarkSeal>(safeKey, cipherFromWire(item.ciphertext.mark), markAd(local.safeId, envId, local.id, ver));
    await openTheirs(safeKey, theirs, ctx.now());
    return { seal, theirs };
  } catch (error) {
    if (error instanceof ItemShapeError || error instanceof Error) return {};
    throw error;
  }
}
