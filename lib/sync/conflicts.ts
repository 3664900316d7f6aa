// Secrets edited on this device and on another at once, or created on both under one name: both
// copies are kept until the user picks *Keep mine*, *Keep theirs* or *Keep both*; the choice then
// syncs like any edit.
import { verAbove } from '../vault/binding';
import { newId, type VaultContext, type WriteTx } from '../vault/context';
import { commitIndex, entryOf, loadIndex, removeSecrets, samePathKey, type IndexEntry } from '../vault/env-index';
import { invalid, VaultError } from '../vault/errors';
import { isNameClash } from '../vault/name-clashes';
import { queuePut, recordKey } from '../vault/outbox';
import type { ConflictRecord, NameClashRecord } from '../vault/schema';
import { resealOverride, resealSecret } from './reseal';
import { openOverride, openValue, sealSecret } from '../vault/secret-records';
import { sealNextVersion, withHeldHistory } from '../vault/secret-versions';
import { unlocked, type UnlockedKeys } from '../vault/session-keys';
import { openTheirOverride, openTheirs } from './apply';
import { claimedVer } from './items';
import { openDeletion } from './deletions';
import { openJson } from '../vault/cipher';
import { secretAd } from '../vault/binding';
import type { SecretMeta } from '../vault/types';
import { resolve } from '../vault/target';
import { msg } from '../i18n';
import { copyIdOf, sealMarkDeletion } from './conflict-marks';

export type ConflictChoice = 'mine' | 'theirs' | 'both';

export interface ConflictView {
  id: string;
  /**
   * `name`: two secrets created on two devices under one name (mine: the first by id, the same on
   * every device, so *Keep mine* chosen on two devices keeps the same one).
   * `override`: a personal override changed on two devices (*Keep both* does not apply).
   */
  kind?: 'name' | 'override';
  safeId: string;
  envId: string;
  mine: { key: string; path: string; value: string };
  /** Absent when the other device deleted it, or its copy does not open here (then dropped by any choice). */
  theirs?: { key: string; path: string; value: string };
  /** The other device deleted it: *Keep mine* restores it everywhere, *Keep theirs* deletes it here too. */
  theirsDeleted?: boolean;
  /** Each side's version and when it was written, as sealed in it (absent where a copy does not say). */
  written?: { mine: Written; theirs?: Written };
}

export interface Written {
  ver: number;
  at?: number;
}

const writtenOf = (ver: number | undefined, meta: { writtenAt?: unknown } | undefined): Written =>
  typeof meta?.writtenAt === 'number' ? { ver: ver ?? 0, at: meta.writtenAt } : { ver: ver ?? 0 };

export async function listConflicts(ctx: VaultContext): Promise<ConflictView[]> {
  const keys = await unlocked(ctx);
  const out: ConflictView[] = [];
  for (const conflict of await ctx.db.getAll('conflicts')) {
    if (isNameClash(conflict) || isOverrideConflict(conflict)) {
      const view = isNameClash(conflict) ? await nameClashView(ctx, keys, conflict) : await overrideConflictView(ctx, keys, conflict);
      if (view) out.push(view);
      continue;
    }
    const record = await ctx.db.get('secrets', conflict.id);
    if (!record) continue;
    const target = await resolve(ctx, keys, { safeId: record.safeId, envId: record.envId });
    const index = await loadIndex(ctx, target);
    const entry = index.entries.find((e) => e.id === record.id);
    if (!entry) continue;
    const mineMeta = await openJson<SecretMeta>(target.safeKey, record.meta, secretAd(record, 'meta')).catch(() => undefined);
    const view: ConflictView = {
      id: record.id,
      safeId: record.safeId,
      envId: record.envId,
      mine: { key: entry.key, path: entry.path, value: await openValue(target.safeKey, record) },
      written: { mine: writtenOf(record.ver, mineMeta) },
    };
    if (conflict.theirs.deleted) {
      const deletion = await openDeletion(target.safeKey, { kind: 'secret', safeId: record.safeId, id: record.id }, conflict.theirs);
      if (deletion) view.written!.theirs = { ver: deletion.ver, at: deletion.at };
      out.push({ ...view, theirsDeleted: true });
      continue;
    }
    try {
      const theirs = await openTheirs(target.safeKey, conflict.theirs, ctx.now());
      if (theirs.record.envId === record.envId) {
        view.theirs = { key: theirs.meta.key, path: theirs.meta.path, value: theirs.value };
        view.written!.theirs = writtenOf(theirs.record.ver, theirs.meta);
      }
    } catch {
      // A server copy that does not open where it claims to be is never shown or used.
    }
    out.push(view);
  }
  return out;
}

/**
 * `settled`: the choice was made on another device and its mark deleted (lib/sync/conflict-marks.ts):
 * *Keep theirs* takes what that choice sent, and nothing is sent from here.
 */
export async function resolveConflict(
  ctx: VaultContext,
  id: string,
  choice: ConflictChoice,
  opts: { settled?: boolean } = {},
): Promise<void> {
  const keys = await unlocked(ctx);
  const conflict = await ctx.db.get('conflicts', id);
  if (conflict && isNameClash(conflict)) return resolveNameClash(ctx, keys, conflict, choice);
  if (conflict && isOverrideConflict(conflict)) return resolveOverrideConflict(ctx, keys, conflict, choice, opts);
  const mine = await ctx.db.get('secrets', id);
  if (!conflict || !mine) throw new VaultError('not_found', msg('errSecretGone'));
  const target = await resolve(ctx, keys, { safeId: mine.safeId, envId: mine.envId });
  const index = await loadIndex(ctx, target);
  const entries = new Map(index.entries.map((e) => [e.id, e]));
  if (conflict.theirs.deleted && choice === 'theirs') {
    // Deleted on the other device, and the user agrees: gone here too (the tombstones are harmless repeats).
    await removeSecrets(ctx, target, index, [id]);
    return;
  }
  const theirs = conflict.theirs.deleted ? undefined : await openTheirs(target.safeKey, conflict.theirs, ctx.now()).catch(() => undefined);
  const usable = theirs && theirs.record.envId === mine.envId && theirs.record.safeId === mine.safeId ? theirs : undefined;
  const writes: ((tx: WriteTx) => Promise<unknown>)[] = [(tx) => tx.objectStore('conflicts').delete(id)];
  const now = ctx.now();
  // Their version is proven only if their copy opened here; else it lifts this one's within bounds.
  const aboveBoth = verAbove(Math.max(mine.ver ?? 0, mine.seen ?? 0), claimedVer(conflict.theirs));
  // Whichever side is kept, what this device has seen never goes down (a replayed copy stays refused).
  const seen = { seen: seenAfter(mine, conflict, !!usable) };
  // A conflict other devices show (a mark on the server): the choice goes out as a version above
  // both sides, whichever is kept, so each of them ends its view and a replayed mark stays settled.
  const marked = opts.settled ? undefined : await sealMarkDeletion(target.safeKey, conflict, now);
  if (marked) writes.push(marked);

  // A conflict every device shows is settled alike wherever *Keep both* is chosen: the server's copy
  // stays in place and the finder's becomes the copy, under an id drawn from the conflict, so two
  // devices choosing at once make the same secrets and meet as the same content, not a new conflict.
  const copyId = conflict.mark ? await copyIdOf(id, conflict.mark.ver) : newId();
  if (choice === 'mine' || !usable || (choice === 'both' && conflict.mark?.from === 'there')) {
    // Sent again above the server's version, based on its revision.
    const next = { ...(await resealSecret(target.safeKey, mine, aboveBoth, now)), rev: conflict.theirs.revision, ...seen };
    writes.push(
      (tx) => tx.objectStore('secrets').put(next),
      (tx) => queuePut(tx, 'secret', next),
    );
    const previous = entries.get(id);
    if (choice === 'both' && usable && previous) {
      const copy = copyEntry(entryOf(id, usable.meta, previous), [...entries.values()], copyId);
      entries.set(copy.id, copy);
      const record = await sealSecret(target, copy, usable.value, now, 1);
      writes.push(
        (tx) => tx.objectStore('secrets').put(record),
        (tx) => queuePut(tx, 'secret', record),
      );
    }
  } else {
    const previous = entries.get(id);
    entries.set(id, entryOf(id, usable.meta, previous));
    const theirs = marked ? await resealSecret(target.safeKey, usable.record, aboveBoth, now) : usable.record;
    // This device's side, unless kept as a copy, goes into its history: set aside, not lost.
    const taken = {
      ...(await withHeldHistory(target.safeKey, mine, theirs, { replaced: choice !== 'both' })),
      rev: conflict.theirs.revision,
      ...seen,
    };
    writes.push(
      (tx) => tx.objectStore('secrets').put(taken),
      (tx) => (marked ? queuePut(tx, 'secret', taken) : tx.objectStore('outbox').delete(id)),
    );
    if (choice === 'both' && previous) {
      const copy = copyEntry(previous, [...entries.values()], copyId);
      entries.set(copy.id, copy);
      const record = await sealSecret(target, copy, await openValue(target.safeKey, mine), now, 1);
      writes.push(
        (tx) => tx.objectStore('secrets').put(record),
        (tx) => queuePut(tx, 'secret', record),
      );
    }
  }
  await commitIndex(ctx, target, index, [...entries.values()], ['secrets', 'conflicts', 'outbox', 'sync'], (tx) =>
    writes.map((w) => w(tx)),
  );
}

/**
 * What this device has seen once a choice is made: never less than before, and their side's version
 * only if it is a server copy that opened here. A side shown from another device's mark is that
 * device's held edit, which never was a version on the server: another device's later edit may
 * carry the same number, and must then be met as an edit, not refused as a replay.
 */
function seenAfter(mine: { seen?: number }, conflict: ConflictRecord, opened: boolean): number {
  const fromServer = opened && conflict.mark?.from !== 'there';
  return Math.max(mine.seen ?? 0, fromServer ? claimedVer(conflict.theirs) : 0);
}

/** One side as a new secret beside the other, under a free `_CONFLICT` key. */
function copyEntry(mine: IndexEntry, all: IndexEntry[], id: string): IndexEntry {
  return { ...mine, id, key: conflictKey(mine, all), tags: [...mine.tags], hasOverride: false, overrideActive: false };
}

/** `<KEY>_CONFLICT`, then `_CONFLICT_2`…: the first not taken at that path. */
function conflictKey(mine: IndexEntry, all: IndexEntry[]): string {
  let key = `${mine.key}_CONFLICT`;
  for (let n = 2; all.some((e) => samePathKey(e, mine.path, key)); n++) key = `${mine.key}_CONFLICT_${n}`;
  return key;
}

// One name, two secrets

async function clashOf(ctx: VaultContext, keys: UnlockedKeys, clash: NameClashRecord) {
  const target = await resolve(ctx, keys, { safeId: clash.safeId, envId: clash.envId });
  const index = await loadIndex(ctx, target);
  const second = index.entries.find((e) => e.id === clash.secretId);
  const first = index.entries.find((e) => e.id === clash.other);
  // Settled meanwhile (renamed or deleted here or on another device): nothing to choose.
  if (!second || !first || !samePathKey(first, second.path, second.key)) return undefined;
  return { target, index, second, first };
}

async function nameClashView(ctx: VaultContext, keys: UnlockedKeys, clash: NameClashRecord): Promise<ConflictView | undefined> {
  const found = await clashOf(ctx, keys, clash);
  if (!found) return undefined;
  const { target, second, first } = found;
  const [firstRecord, secondRecord] = await Promise.all([ctx.db.get('secrets', first.id), ctx.db.get('secrets', second.id)]);
  if (!firstRecord || !secondRecord) return undefined;
  const [mine, theirs] = await Promise.all([
    openValue(target.safeKey, firstRecord).catch(() => undefined),
    openValue(target.safeKey, secondRecord).catch(() => undefined),
  ]);
  const view: ConflictView = {
    id: clash.id,
    kind: 'name',
    safeId: clash.safeId,
    envId: clash.envId,
    mine: { key: first.key, path: first.path, value: mine ?? '' },
  };
  if (theirs !== undefined) view.theirs = { key: second.key, path: second.path, value: theirs };
  return view;
}

/**
 * *Keep mine* keeps the first by id and deletes the other, *Keep theirs* the reverse, *Keep both*
 * renames the other to a free `_CONFLICT` key: the same on every device, so two devices settling
 * the same clash at once do the same, and a rename made alike is then no conflict (apply.ts:
 * same content). Each choice syncs as an ordinary deletion or rename, so the mark goes on every
 * device once it arrives there.
 */
async function resolveNameClash(ctx: VaultContext, keys: UnlockedKeys, clash: NameClashRecord, choice: ConflictChoice): Promise<void> {
  const found = await clashOf(ctx, keys, clash);
  if (!found) throw new VaultError('not_found', msg('errSecretGone'));
  const { target, index, second, first } = found;
  if (choice !== 'both') {
    await removeSecrets(ctx, target, index, [choice === 'mine' ? second.id : first.id]);
    return;
  }
  const record = await ctx.db.get('secrets', second.id);
  if (!record) throw new VaultError('not_found', msg('errSecretGone'));
  const renamed: IndexEntry = { ...second, key: conflictKey(second, index.entries) };
  const next = await sealNextVersion(ctx, target, record, renamed, await openValue(target.safeKey, record), ctx.now());
  const entries = index.entries.map((e) => (e.id === second.id ? renamed : e));
  await commitIndex(ctx, target, index, entries, ['secrets', 'outbox'], (tx) => [
    tx.objectStore('secrets').put(next),
    queuePut(tx, 'secret', next),
  ]);
}

// One personal override, changed on two devices

const isOverrideConflict = (conflict: ConflictRecord) => recordKey(conflict.id) !== conflict.id;

async function overrideConflictOf(ctx: VaultContext, keys: UnlockedKeys, conflict: ConflictRecord) {
  const secretId = recordKey(conflict.id);
  const [secret, mine] = await Promise.all([ctx.db.get('secrets', secretId), ctx.db.get('overrides', secretId)]);
  if (!secret || !mine) return undefined;
  const target = await resolve(ctx, keys, { safeId: secret.safeId, envId: secret.envId });
  const index = await loadIndex(ctx, target);
  const entry = index.entries.find((e) => e.id === secretId);
  if (!entry) return undefined;
  // A server copy that does not open as this secret's override is never shown or used.
  const theirs = conflict.theirs.deleted
    ? undefined
    : await openTheirOverride(keys.vaultKey, conflict.theirs, ctx.now()).then(
        (opened) => (opened.record.secretId === secretId && opened.record.envId === secret.envId ? opened : undefined),
        () => undefined,
      );
  return { target, index, entry, mine, theirs };
}

async function overrideConflictView(ctx: VaultContext, keys: UnlockedKeys, conflict: ConflictRecord): Promise<ConflictView | undefined> {
  const found = await overrideConflictOf(ctx, keys, conflict);
  if (!found) return undefined;
  const { entry, mine, theirs } = found;
  const view: ConflictView = {
    id: conflict.id,
    kind: 'override',
    safeId: conflict.safeId,
    envId: conflict.envId,
    mine: { key: entry.key, path: entry.path, value: (await openOverride(keys.vaultKey, mine)).value },
  };
  if (conflict.theirs.deleted) view.theirsDeleted = true;
  else if (theirs) view.theirs = { key: entry.key, path: entry.path, value: theirs.state.value };
  return view;
}

/**
 * *Keep mine* sends this device's override again above the other's version (or deletion); *Keep
 * theirs* takes the other's, or removes this one if the other device deleted it. A conflict other
 * devices show (a mark on the server, lib/sync/conflict-marks.ts) is settled as a secret's is: the
 * kept side goes out as a version above both, with the mark's sealed deletion (sealed, like the
 * override, with the vault key), unless the choice was made elsewhere (`settled`).
 */
async function resolveOverrideConflict(
  ctx: VaultContext,
  keys: UnlockedKeys,
  conflict: ConflictRecord,
  choice: ConflictChoice,
  opts: { settled?: boolean },
): Promise<void> {
  if (choice === 'both') throw invalid('choice', 'errConflictChoice');
  const found = await overrideConflictOf(ctx, keys, conflict);
  if (!found) throw new VaultError('not_found', msg('errSecretGone'));
  const { target, index, entry, mine, theirs } = found;
  const revision = conflict.theirs.revision;
  const now = ctx.now();
  const marked = opts.settled ? undefined : await sealMarkDeletion(keys.vaultKey, conflict, now);
  const markWrites = (tx: WriteTx) => (marked ? [marked(tx)] : []);
  const stores: ('overrides' | 'outbox' | 'sync')[] = ['overrides', 'outbox', ...(marked ? (['sync'] as const) : [])];
  const aboveBoth = verAbove(Math.max(mine.ver ?? 0, mine.seen ?? 0), claimedVer(conflict.theirs));
  if (choice === 'theirs' && conflict.theirs.deleted) {
    // Already gone on the server: nothing to send.
    const entries = index.entries.map((e) => (e.id === entry.id ? { ...e, hasOverride: false, overrideActive: false } : e));
    await commitIndex(ctx, target, index, entries, stores, (tx) => [
      tx.objectStore('overrides').delete(entry.id),
      tx.objectStore('outbox').delete(conflict.id),
      tx.objectStore('conflicts').delete(conflict.id),
      ...markWrites(tx),
    ]);
    return;
  }
  if (choice === 'theirs' && theirs) {
    const entries = index.entries.map((e) => (e.id === entry.id ? { ...e, hasOverride: true, overrideActive: theirs.state.active } : e));
    // With a mark, their side is sent again above both, so every device that shows the conflict ends it.
    const taken = marked
      ? {
          ...(await resealOverride(keys.vaultKey, theirs.record, aboveBoth, now)),
          rev: revision,
          seen: seenAfter(mine, conflict, true),
        }
      : { ...theirs.record, rev: revision };
    await commitIndex(ctx, target, index, entries, stores, (tx) => [
      tx.objectStore('overrides').put(taken),
      marked ? queuePut(tx, 'override', taken) : tx.objectStore('outbox').delete(conflict.id),
      tx.objectStore('conflicts').delete(conflict.id),
      ...markWrites(tx),
    ]);
    return;
  }
  const next = await resealOverride(keys.vaultKey, mine, aboveBoth, now);
  const kept = { ...next, rev: revision, ...(theirs ? { seen: seenAfter(mine, conflict, true) } : {}) };
  await commitIndex(ctx, target, index, index.entries, stores, (tx) => [
    tx.objectStore('overrides').put(kept),
    queuePut(tx, 'override', kept),
    tx.objectStore('conflicts').delete(conflict.id),
    ...markWrites(tx),
  ]);
}
