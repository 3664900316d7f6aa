// One page of the server's items taken in: the vault's records first (sync-apply.ts), then the
// conflict marks, which speak of secrets the page may have just brought (conflict-marks.ts).
import type { VaultContext } from '../vault/context';
import type { ServerItem } from '../vault/schema';
import { applyRemote, type ApplyResult } from '../vault/sync-apply';
import { resolveConflict } from '../vault/sync-conflicts';
import { applyMark, isMark } from './conflict-marks';

export async function takeIn(ctx: VaultContext, items: ServerItem[]): Promise<ApplyResult> {
  const marks = items.filter(isMark);
  const result = await applyRemote(ctx, marks.length === 0 ? items : items.filter((item) => !isMark(item)));
  for (const mark of marks) {
    const outcome = await applyMark(ctx, mark, (id) => resolveConflict(ctx, id, 'theirs', { settled: true }));
    if (outcome === 'applied') result.applied++;
    else if (outcome === 'conflict') result.conflicts.push(mark.id);
    else if (outcome !== 'same') result.damaged.push({ id: mark.id, kind: mark.kind, reason: outcome });
  }
  return result;
}
