// Two devices that each create the same key at the same path while offline both reach the server
// as different secrets: a sync that brings the second makes one environment hold the name twice.
// Neither is dropped; the others are marked beside the first until the user chooses, as with an
// edit conflict (lib/sync/conflicts.ts). Marks are kept in step with the index on every index commit,
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
 * another, except the one with the smallest id (the first of the name, the same on every device,
 * so a choice made on two devices at once keeps the same secret), and drops marks whose clash is gone.
 */
export async function markNameClashes(
  tx: WriteTx,
  where: { safeId: string; envId: string },
  entries: IndexEntry[],
  now: number,
): Promise<void> {
  const store = tx.objectStore('conflicts');
  const existing = (await store.index('byEnv').getAll(where.envId)).filter(isNameClash);
  const groups = new Map<string, string[]>();
  for (const e of entries) {
    const name = `${e.path}\n${e.key}`;
    groups.set(name, [...(groups.get(name) ?? []), e.id]);
  }
  const clashing = [...groups.values()].filter((ids) => ids.length > 1);
  if (clashing.length === 0 && existing.length === 0) return;

  const marked = new Map(existing.map((r) => [r.secretId, r]));
  const wanted = new Map<string, NameClashRecord>();
  for (const ids of clashing) {
    const [first, ...later] = [...ids].sort();
    for (const id of later) {
      const kept = marked.get(id);
      wanted.set(
        id,
        kept && kept.other === first ? kept : { id: clashKey(id), kind: 'name', secretId: id, other: first!, ...where, at: now },
      );
    }
  }
  await Promise.all([
    ...existing.filter((r) => wanted.get(r.secretId) !== r).map((r) => store.delete(r.id)),
    ...[...wanted.values()].filter((r) => marked.get(r.secretId) !== r).map((r) => store.put(r)),
  ]);
}
