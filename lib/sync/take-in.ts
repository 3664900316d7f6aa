// One page of the server's items taken in: the vault's records first (sync-apply.ts), then the
// conflict marks, which speak of secrets the page may have just brought (conflict-marks.ts). A
// safe's manifest is no record: the engine checks it once the pull is complete (manifest-store.ts).
import type { VaultContext } from '../vault/context';
import type { ServerItem } from '../vault/schema';
import { applyRemote, type ApplyResult } from './apply';
import { resolveConflict } from './conflicts';
import { applyMark, isMark } from './conflict-marks';
import { isManifest } from './manifest-store';
import { KINDS, kindOf } from './kinds';
import { preopenMetas } from './preopen';

/**
 * `next`: the pull's next page, still travelling. Once this page's safes and environments are in
 * place, that page's secrets start opening (preopen.ts) as soon as it arrives, while this page's
 * secrets are opened and written.
 */
export async function takeIn(
  ctx: VaultContext,
  items: ServerItem[],
  opts: { next?: Promise<{ items: ServerItem[] }> } = {},
): Promise<ApplyResult> {
  const marks = items.filter(isMark);
  const records = items.filter((item) => !isMark(item) && !isManifest(item));
  const result = await applyInTurn(ctx, records, opts.next);
  for (const mark of marks) {
    const outcome = await applyMark(ctx, mark, (id) => resolveConflict(ctx, id, 'theirs', { settled: true }));
    if (outcome === 'applied') result.applied++;
    else if (outcome === 'conflict') result.conflicts.push(mark.id);
    else if (outcome !== 'same') result.damaged.push({ id: mark.id, kind: mark.kind, reason: outcome });
  }
  return result;
}

/**
 * applyRemote takes a page's safes, then environments, then their contents. With a next page on
 * its way, the containers go first in a call of their own, so the next page can start opening with the
 * keys of a safe this page brings (a first pull's first page brings them all).
 */
async function applyInTurn(
  ctx: VaultContext,
  records: ServerItem[],
  next: Promise<{ items: ServerItem[] }> | undefined,
): Promise<ApplyResult> {
  const preopen = () => next?.then((page) => preopenMetas(ctx, page.items)).catch(() => undefined);
  // Safes and environments: the kinds ordered before what they hold.
  const containers = records.filter((item) => (kindOf(item.kind)?.order ?? Infinity) < KINDS.secret.order);
  if (!next || containers.length === 0 || containers.length === records.length) {
    preopen();
    return applyRemote(ctx, records);
  }
  const first = await applyRemote(ctx, containers);
  preopen();
  const rest = await applyRemote(
    ctx,
    records.filter((item) => !containers.includes(item)),
  );
  return {
    applied: first.applied + rest.applied,
    damaged: [...first.damaged, ...rest.damaged],
    conflicts: [...first.conflicts, ...rest.conflicts],
    deferred: [...first.deferred, ...rest.deferred],
  };
}
