// What every applier of the sync server's items decides alike: whether an incoming copy is new,
// already here, or older than one this device has seen, and what comes of taking it.
import type { SentLog, ServerItem } from '../vault/schema';

/** Why an item from the server is refused: it is counted as damaged and never used. */
export type RefusalReason = 'does_not_open' | 'older_version' | 'malformed';

/** What came of one item: kept, nothing to do, waiting for its safe or environment, kept twice, or refused. */
export type Outcome = 'applied' | 'same' | 'deferred' | 'conflict' | RefusalReason;

/**
 * Whether an incoming version may replace the local one: newer than any this device has seen from
 * the server, or the very same bytes (an echo). Only what the server has shown counts: an edit
 * waiting here carries its own `ver`, and another device's edit may carry the same number.
 */
export function compareVersions(
  local: { seen?: number } | undefined,
  incoming: { ver?: number },
  same: boolean,
): 'newer' | 'same' | 'older' {
  const seen = local?.seen;
  if (seen === undefined) return 'newer';
  if (same) return 'same';
  return (incoming.ver ?? 0) > seen ? 'newer' : 'older';
}

/**
 * This device already holds this revision or a later one (a page seen again, by a cursor that went
 * back or a second worker pulling at once): nothing to do. A deletion carries no version, so this is
 * what keeps an old deletion from removing a record that came back since.
 */
export function alreadyHave(local: { rev?: number } | undefined, item: ServerItem): boolean {
  return local?.rev !== undefined && item.revision <= local.rev;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export const sameCipher = (a: { iv: Uint8Array; data: Uint8Array }, b: { iv: Uint8Array; data: Uint8Array }) =>
  sameBytes(a.iv, b.iv) && sameBytes(a.data, b.data);

export async function opens(work: Promise<unknown>): Promise<boolean> {
  try {
    await work;
    return true;
  } catch {
    return false;
  }
}

/**
 * What waits to be sent from here: items with a change in the outbox (not deletions), and what
 * earlier pushes sent; and the highest version seen of each record deleted (`gone`).
 */
export interface Waiting {
  pending: Set<string>;
  sent: SentLog;
  gone: Map<string, number>;
}

/** A copy of a record this device no longer holds, at or below a version it saw before the deletion: kept by the server, refused. */
export const resurrected = (waiting: Waiting, id: string, ver: number | undefined) => (ver ?? 0) <= (waiting.gone.get(id) ?? 0);
