// After a complete snapshot (a first pull, or a full resync): what the server no longer holds. A
// server can answer any pull with an empty snapshot, so nothing is removed on its word alone: the
// device asks the user first, and removes only on their answer (docs/architecture.md, "Sync").
import type { VaultContext, WriteTx } from '../vault/context';
import { commitIndex, loadIndex } from '../vault/env-index';
import { overrideItemId, queuePut, STORE_OF } from '../vault/outbox';
import type { EnvironmentRecord, OverrideRecord, SafeRecord, SecretRecord, WipeQuestion } from '../vault/schema';
import { unlocked } from '../vault/session-keys';
import { dropEnvironment, dropSafe } from './apply-containers';
import { resolve } from '../vault/target';

interface Held {
  safes: SafeRecord[];
  envs: EnvironmentRecord[];
  secrets: SecretRecord[];
  overrides: OverrideRecord[];
}

/** Records this device got from a server (they have a revision), with no change waiting to be sent, that `pick` names. */
async function heldFromServer(ctx: VaultContext, pick: (itemId: string) => boolean): Promise<Held> {
  const tx = ctx.db.transaction(['safes', 'environments', 'secrets', 'overrides', 'outbox']);
  const [safes, envs, secrets, overrides, queued] = await Promise.all([
    tx.objectStore('safes').getAll(),
    tx.objectStore('environments').getAll(),
    tx.objectStore('secrets').getAll(),
    tx.objectStore('overrides').getAll(),
    tx.objectStore('outbox').getAllKeys(),
  ]);
  await tx.done;
  const waiting = new Set(queued);
  const gone = (id: string, r: { rev?: number }) => r.rev !== undefined && !waiting.has(id) && pick(id);
  return {
    safes: safes.filter((r) => gone(r.id, r)),
    envs: envs.filter((r) => gone(r.id, r)),
    secrets: secrets.filter((r) => gone(r.id, r)),
    overrides: overrides.filter((r) => gone(overrideItemId(r.secretId), r)),
  };
}

const itemIds = (h: Held) => [
  ...h.safes.map((r) => r.id),
  ...h.envs.map((r) => r.id),
  ...h.secrets.map((r) => r.id),
  ...h.overrides.map((r) => overrideItemId(r.secretId)),
];

/**
 * After a complete snapshot: records this device got from the server before but the snapshot no
 * longer holds. They stay until the user answers the question this leaves (`pendingWipe`); changes
 * waiting in the outbox and records never sent are not asked about. Returns how many are in question.
 */
export async function pruneAfterSnapshot(ctx: VaultContext, seen: string[]): Promise<number> {
  await unlocked(ctx);
  const present = new Set(seen);
  const question = (await nothingElse(ctx, present)) ? undefined : await heldFromServer(ctx, (id) => !present.has(id));
  const ids = question ? itemIds(question) : [];
  if (!question || ids.length === 0) {
    await ctx.db.delete('sync', 'wipe');
    return 0;
  }
  const wipe: WipeQuestion = {
    ids,
    safes: question.safes.length,
    environments: question.envs.length,
    secrets: question.secrets.length + question.overrides.filter((o) => !question.secrets.some((s) => s.id === o.secretId)).length,
    at: ctx.now(),
  };
  await ctx.db.put('sync', wipe, 'wipe');
  return ids.length;
}

/** The question a full resync left, if any: how many safes, environments and secrets the server says were deleted. */
export async function pendingWipe(ctx: VaultContext): Promise<Omit<WipeQuestion, 'ids'> | undefined> {
  const wipe = (await ctx.db.get('sync', 'wipe')) as WipeQuestion | undefined;
  if (!wipe) return undefined;
  const { ids: _ids, ...counts } = wipe;
  return counts;
}

/**
 * The user's answer. *Keep*: each record stays and is queued to be sent again, so the server holds
 * it once more. *Remove*: each is removed here as a deletion from the server would (records
 * changed since the question are not: they wait in the outbox).
 */
export async function answerWipe(ctx: VaultContext, keep: boolean): Promise<number> {
  const keys = await unlocked(ctx);
  const wipe = (await ctx.db.get('sync', 'wipe')) as WipeQuestion | undefined;
  if (!wipe) return 0;
  const asked = new Set(wipe.ids);
  const held = await heldFromServer(ctx, (id) => asked.has(id));
  if (keep) {
    const tx = ctx.db.transaction([...Object.values(STORE_OF), 'outbox', 'sync'], 'readwrite') as WriteTx;
    await Promise.all([
      ...held.safes.map((r) => queuePut(tx, 'safe', r)),
      ...held.envs.map((r) => queuePut(tx, 'environment', r)),
      ...held.secrets.map((r) => queuePut(tx, 'secret', r)),
      ...held.overrides.map((r) => queuePut(tx, 'override', r)),
      tx.objectStore('sync').delete('wipe'),
    ]);
    await tx.done;
    return itemIds(held).length;
  }
  let removed = 0;
  for (const safe of held.safes) {
    await dropSafe(ctx, keys, safe.id);
    removed++;
  }
  for (const env of held.envs) {
    if (!(await ctx.db.get('environments', env.id))) continue; // gone with its safe
    await dropEnvironment(ctx, env.id);
    removed++;
  }
  const byEnv = new Map<string, { safeId: string; secrets: string[]; overrides: string[] }>();
  const note = (r: { safeId: string; envId: string }, kind: 'secrets' | 'overrides', id: string) => {
    const group = byEnv.get(r.envId) ?? { safeId: r.safeId, secrets: [], overrides: [] };
    group[kind].push(id);
    byEnv.set(r.envId, group);
  };
  for (const r of held.secrets) note(r, 'secrets', r.id);
  for (const r of held.overrides) note(r, 'overrides', r.secretId);
  for (const [envId, group] of byEnv) {
    if (!(await ctx.db.get('environments', envId))) continue;
    const target = await resolve(ctx, keys, { safeId: group.safeId, envId });
    const index = await loadIndex(ctx, target);
    const drop = new Set(group.secrets);
    const unset = new Set(group.overrides);
    const entries = index.entries
      .filter((e) => !drop.has(e.id))
      .map((e) => (unset.has(e.id) ? { ...e, hasOverride: false, overrideActive: false } : e));
    await commitIndex(ctx, target, index, entries, ['secrets', 'overrides', 'conflicts'], (tx) => [
      ...group.secrets.flatMap((id) => [
        tx.objectStore('secrets').delete(id),
        tx.objectStore('conflicts').delete(id),
        tx.objectStore('conflicts').delete(overrideItemId(id)),
      ]),
      ...group.overrides.map((id) => tx.objectStore('overrides').delete(id)),
    ]);
    removed += group.secrets.length + group.overrides.length;
  }
  await ctx.db.delete('sync', 'wipe');
  return removed;
}

/** Whether every record here is one the snapshot holds (keys only: no record is read). */
async function nothingElse(ctx: VaultContext, present: Set<string>): Promise<boolean> {
  const tx = ctx.db.transaction(['safes', 'environments', 'secrets', 'overrides']);
  const lists = await Promise.all([
    tx.objectStore('safes').getAllKeys(),
    tx.objectStore('environments').getAllKeys(),
    tx.objectStore('secrets').getAllKeys(),
    tx
      .objectStore('overrides')
      .getAllKeys()
      .then((ids) => ids.map(overrideItemId)),
  ]);
  await tx.done;
  return lists.every((ids) => ids.every((id) => present.has(id)));
}
