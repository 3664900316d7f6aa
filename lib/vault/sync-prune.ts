// After a complete snapshot (a first pull, or a full resync): what the server no longer holds goes here too.
import type { VaultContext } from './context';
import { commitIndex, loadIndex } from './env-index';
import { overrideItemId } from './outbox';
import { unlocked } from './session-keys';
import { dropEnvironment, dropSafe } from './sync-apply-places';
import { resolve } from './target';

/**
 * After a complete snapshot (a first pull, or a full resync when the cursor was too old): what this
 * device got from the server before (it has a revision) but the snapshot no longer holds was deleted
 * there, so it goes here too. Changes still waiting in the outbox, and records never sent, stay.
 */
export async function pruneAfterSnapshot(ctx: VaultContext, seen: string[]): Promise<number> {
  const keys = await unlocked(ctx);
  const present = new Set(seen);
  if (await nothingElse(ctx, present)) return 0; // a first pull: everything here came in the snapshot
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
  const gone = (id: string, r: { rev?: number }) => r.rev !== undefined && !present.has(id) && !waiting.has(id);
  let removed = 0;
  for (const safe of safes.filter((r) => gone(r.id, r))) {
    await dropSafe(ctx, keys, safe.id);
    removed++;
  }
  for (const env of envs.filter((r) => gone(r.id, r))) {
    await dropEnvironment(ctx, env.id);
    removed++;
  }
  const byEnv = new Map<string, { safeId: string; secrets: string[]; overrides: string[] }>();
  const note = (r: { safeId: string; envId: string }, kind: 'secrets' | 'overrides', id: string) => {
    const group = byEnv.get(r.envId) ?? { safeId: r.safeId, secrets: [], overrides: [] };
    group[kind].push(id);
    byEnv.set(r.envId, group);
  };
  for (const r of secrets) if (gone(r.id, r)) note(r, 'secrets', r.id);
  for (const r of overrides) if (gone(overrideItemId(r.secretId), r)) note(r, 'overrides', r.secretId);
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
  return removed;
}

/** Whether every record here is one the snapshot holds (keys only: no record is read). */
async function nothingElse(ctx: VaultContext, present: Set<string>): Promise<boolean> {
  const tx = ctx.db.transaction(['safes', 'environments', 'secrets', 'overrides']);
  const lists = await Promise.all([
    tx.objectStore('safes').getAllKeys(),
    tx.objectStore('environments').getAllKeys(),
    tx.objectStore('secrets').getAllKeys(),
    tx.objectStore('overrides').getAllKeys().then((ids) => ids.map(overrideItemId)),
  ]);
  await tx.done;
  return lists.every((ids) => ids.every((id) => present.has(id)));
}
