// One page of the server's items taken in: the vault's records first (sync-apply.ts), then the
// conflict marks, which speak of secrets the page may have just brought (conflict-marks.ts). A
// safe's manifest is no record: the engine checks it once the pull is complete (manifest-store.ts).
import type { VaultContext } from '../vault/context';
import type { ServerItem } from '../vault/schema';
import { applyRemote, type ApplyResult } from './apply';
import { resolveConflict } from './conflicts';
import { applyMark, isMark } from './conflict-marks';
import { isManifest } from './manifest-store';

export async function takeIn(ctx: VaultContext, items: ServerItem[]): Promise<ApplyResult> {
  const marks = items.filter(isMark);
  const records = items.filter((item) => !isMark(item) && !isManifest(item));
  const result = await applyRemote(ctx, records.length === items.length ? items : records);
  for (const mark of marks) {
    const outcome = await applyMark(ctx, mark, (id) => resolveConflict(ctx, id, 'theirs', { settled: true }));
    if (outcome === 'applied') result.applied++;
    else if (outcome === 'conflict') result.conflicts.push(mark.id);
    else if (outcome !== 'same') result.damaged.push({ id: mark.id, kind: mark.kind, reason: outcome });
  }
  return result;
}
