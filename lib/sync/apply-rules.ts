// What every applier of the sync server's items shares: what came of one item, why one is refused,
// what waits here, and whether two ciphertexts are the same bytes. What to do with an item is
// decided in decide.ts.
import type { SentLog, ServerItem } from '../vault/schema';
import type { Held, IncomingFacts, KindRules } from './decide';
import { claimedVer } from './items';

/** Why an item from the server is refused: it is counted as damaged and never used. */
export type RefusalReason = 'does_not_open' | 'older_version' | 'malformed';

/** What came of one item: kept, nothing to do, waiting for its safe or environment, kept twice, or refused. */
export type Outcome = 'applied' | 'same' | 'deferred' | 'conflict' | RefusalReason;

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

/** What every kind's decision starts from: what the server says of the item, and what this device holds and waits to send. */
export function factsOf(
  rules: KindRules,
  item: ServerItem,
  held: Held | undefined,
  waiting: Waiting,
  ver = claimedVer(item),
): IncomingFacts {
  return {
    rules,
    revision: item.revision,
    deleted: item.deleted,
    ver,
    held,
    goneAt: waiting.gone.get(item.id),
    pending: waiting.pending.has(item.id),
  };
}
