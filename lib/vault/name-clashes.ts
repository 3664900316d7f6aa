// Two devices that each create the same key at the same path while offline both reach the server
// as different secrets: a sync that brings the second makes one environment hold the name twice.
// Neither is dropped; the later ones are marked beside the first until the user chooses, as with an
// edit conflict (sync-conflicts.ts). Marks are kept in step with the index on every index commit,
// so a choice made on another device (a rename or a deletion arriving) clears them here too.
import type { WriteTx } from './context';
import type { IndexEntry } from './env-index';
import type { NameClashRecord } from './schema';

const SUFFIX = '.name';

export const clashKey = (secretId: string) => `${secretId}${SUFFIX}`;

export function isNameClash(record: { id: string }): record is NameClashRecord {
  return (record as NameClashRecord).kind === 'name';
}

/**
 * Inside an index commit: marks every secret of the environment that shares its path and key with
 * another, except one per name (the one already marked as first, else one that held the name
 * before this commit, else the smallest id), and drops marks whose clash is gone.
 */
export async function markNameClashes(
  tx: WriteTx,
  where: { safeId: string; envId: string },
  before: IndexEntry[],
  after: IndexEntry[],
  now: number,
): Promise<void> {
  const store = tx.objectStore('conflicts');
  const existing = (await store.index('byEnv').getAll(where.envId)).filter(isNameClash);
  const groups = new Map<string, string[]>();
  for (const e of after) {
    const name = `${e.path}\n${e.key}`;
    groups.set(name, [...(groups.get(name) ?? []), e.id]);
  }
  const clashing = [...groups].filter(([, ids]) => ids.length > 1);
  if (clashing.length === 0 && existing.length === 0) return;

  const marked = new Map(existing.map((r) => [r.secretId, r]));
  const heldBefore = new Set(before.map((e) => `${e.id}\n${e.path}\n${e.key}`));
  const wanted = new Map<string, NameClashRecord>();
  for (const [name, ids] of clashing) {
    const unmarked = ids.filter((id) => !marked.has(id));
    const candidates = unmarked.length > 0 ? unmarked : ids;
    const first =
      (unmarked.length === 1 && unmarked[0]) ||
      [...candidates].sort().find((id) => heldBefore.has(`${id}\n${name}`)) ||
      [...candidates].sort()[0]!;
    for (const id of ids) {
      if (id === first) continue;
      const kept = marked.get(id);
      wanted.set(id, kept?.other === first ? kept : { id: clashKey(id), kind: 'name', secretId: id, other: first, ...where, at: now });
    }
  }
  await Promise.all([
    ...existing.filter((r) => wanted.get(r.secretId) !== r).map((r) => store.delete(r.id)),
    ...[...wanted.values()].filter((r) => marked.get(r.secretId) !== r).map((r) => store.put(r)),
  ]);
}
