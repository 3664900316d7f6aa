// Two devices that settle one conflict the same way at once send the same content (conflict-marks.ts
// makes *Keep both* alike everywhere, and a personal override's choice is its value and on/off): the
// second push meets the first as a conflict. A server copy that says exactly what this device sent
// is no conflict: it is taken, and nothing waits for a choice.
import type { VaultContext } from '../vault/context';
import type { ServerItem } from '../vault/schema';
import type { UnlockedKeys } from '../vault/session-keys';
import type { ItemWrite } from './items';
import { KINDS, keyOfItem, type RecordKind, type Records, sealingKeyOf } from './kinds';
import type { ItemKind } from '../vault/binding';

/**
 * Of a push's refused writes of a kind that compares content, those whose server copy opens here
 * and says what this device holds: the server's copy as this device keeps it, by item id.
 */
export async function alikeOnServer(
  ctx: VaultContext,
  keys: UnlockedKeys,
  writes: ItemWrite[],
  results: { id: string; ok: boolean; conflict?: ServerItem | null }[],
): Promise<Map<string, Records[ItemKind]>> {
  const out = new Map<string, Records[ItemKind]>();
  const compared = new Map(writes.filter((w) => KINDS[w.kind].comparesContent && KINDS[w.kind].open && !w.deleted).map((w) => [w.id, w]));
  for (const result of results) {
    const theirs = result.conflict;
    const write = compared.get(result.id);
    if (result.ok || !theirs || theirs.deleted || !write) continue;
    const spec = KINDS[write.kind] as RecordKind<ItemKind>;
    const mine = (await ctx.db.get(spec.store, keyOfItem(spec, write.id))) as Records[ItemKind] | undefined;
    if (!mine || !spec.open) continue;
    try {
      const key = await sealingKeyOf(ctx, keys, spec, mine);
      const incoming = spec.fromItem(theirs, { now: ctx.now(), orgId: '' });
      const here = spec.place(mine);
      const there = spec.place(incoming as Records[ItemKind]);
      if (!key || here.envId !== there.envId || here.safeId !== there.safeId) continue;
      const [a, b] = await Promise.all([spec.open(key, mine), spec.open(key, incoming)]);
      if (a.says === b.says) out.set(result.id, b.record);
    } catch {
      // A copy that does not open here is never taken: the conflict path decides.
    }
  }
  return out;
}
