// Secrets edited on this device and on another at once: both copies are kept until the user picks
// *Keep mine*, *Keep theirs* or *Keep both*; the choice then syncs like any edit.
import { newId, type VaultContext, type WriteTx } from './context';
import { commitIndex, entryOf, loadIndex, removeSecrets, samePathKey, type IndexEntry } from './env-index';
import { VaultError } from './errors';
import { queuePut } from './outbox';
import { resealSecret } from './reseal';
import { openValue, sealSecret } from './secret-records';
import { unlocked } from './session-keys';
import { openTheirs } from './sync-apply';
import { claimedVer } from './sync-items';
import { resolve } from './target';
import { msg } from '../i18n';

export type ConflictChoice = 'mine' | 'theirs' | 'both';

export interface ConflictView {
  id: string;
  safeId: string;
  envId: string;
  mine: { key: string; path: string; value: string };
  /** Absent when the other device deleted it, or its copy does not open here (then dropped by any choice). */
  theirs?: { key: string; path: string; value: string };
  /** The other device deleted it: *Keep mine* restores it everywhere, *Keep theirs* deletes it here too. */
  theirsDeleted?: boolean;
}

export async function listConflicts(ctx: VaultContext): Promise<ConflictView[]> {
  const keys = await unlocked(ctx);
  const out: ConflictView[] = [];
  for (const conflict of await ctx.db.getAll('conflicts')) {
    const record = await ctx.db.get('secrets', conflict.id);
    if (!record) continue;
    const target = await resolve(ctx, keys, { safeId: record.safeId, envId: record.envId });
    const index = await loadIndex(ctx, target);
    const entry = index.entries.find((e) => e.id === record.id);
    if (!entry) continue;
    const view: ConflictView = {
      id: record.id,
      safeId: record.safeId,
      envId: record.envId,
      mine: { key: entry.key, path: entry.path, value: await openValue(target.safeKey, record) },
    };
    if (conflict.theirs.deleted) {
      out.push({ ...view, theirsDeleted: true });
      continue;
    }
    try {
      const theirs = await openTheirs(target.safeKey, conflict.theirs, ctx.now());
      if (theirs.record.envId === record.envId) view.theirs = { key: theirs.meta.key, path: theirs.meta.path, value: theirs.value };
    } catch {
      // A server copy that does not open where it claims to be is never shown or used.
    }
    out.push(view);
  }
  return out;
}

export async function resolveConflict(ctx: VaultContext, id: string, choice: ConflictChoice): Promise<void> {
  const keys = await unlocked(ctx);
  const conflict = await ctx.db.get('conflicts', id);
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
  const aboveBoth = Math.max(mine.ver ?? 0, claimedVer(conflict.theirs)) + 1;

  if (choice === 'mine' || !usable) {
    // Sent again above the server's version, based on its revision.
    const next = { ...(await resealSecret(target.safeKey, mine, aboveBoth, now)), rev: conflict.theirs.revision, seen: claimedVer(conflict.theirs) };
    writes.push((tx) => tx.objectStore('secrets').put(next), (tx) => queuePut(tx, 'secret', next));
  } else {
    const previous = entries.get(id);
    entries.set(id, entryOf(id, usable.meta, previous));
    const taken = { ...usable.record, rev: conflict.theirs.revision };
    writes.push((tx) => tx.objectStore('secrets').put(taken), (tx) => tx.objectStore('outbox').delete(id));
    if (choice === 'both' && previous) {
      const copy = copyEntry(previous, [...entries.values()]);
      entries.set(copy.id, copy);
      const record = await sealSecret(target, copy, await openValue(target.safeKey, mine), now, 1);
      writes.push((tx) => tx.objectStore('secrets').put(record), (tx) => queuePut(tx, 'secret', record));
    }
  }
  await commitIndex(ctx, target, index, [...entries.values()], ['secrets', 'conflicts', 'outbox'], (tx) => writes.map((w) => w(tx)));
}

/** This device's version as a new secret beside the other: the key gets `_CONFLICT` (then `_CONFLICT_2`…). */
function copyEntry(mine: IndexEntry, all: IndexEntry[]): IndexEntry {
  let key = `${mine.key}_CONFLICT`;
  for (let n = 2; all.some((e) => samePathKey(e, mine.path, key)); n++) key = `${mine.key}_CONFLICT_${n}`;
  return { ...mine, id: newId(), key, tags: [...mine.tags], hasOverride: false, overrideActive: false };
}
