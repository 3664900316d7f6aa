/**
 * Sync cursors: opaque to clients, a position in the org's change sequence to the server.
 * `snapshot` cursors continue a first pull (live items with seq ≤ upTo, after `after`);
 * `delta` cursors ask for every change (tombstones included) after `after`.
 */
import { badRequest } from '../errors';

export type Cursor = { mode: 'snapshot'; org: string; upTo: number; after: number } | { mode: 'delta'; org: string; after: number };

export function encodeCursor(cursor: Cursor): string {
  const compact =
    cursor.mode === 'snapshot'
      ? { v: 1, m: 's', o: cursor.org, u: cursor.upTo, a: cursor.after }
      : { v: 1, m: 'd', o: cursor.org, a: cursor.after };
  return Buffer.from(JSON.stringify(compact)).toString('base64url');
}

const isSeq = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

export function decodeCursor(raw: string, orgId: string): Cursor {
  const invalid = () => badRequest('The sync cursor is not valid for this organization; sync without a cursor.', 'invalid_cursor');
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!data || typeof data !== 'object' || data.v !== 1 || data.o !== orgId || !isSeq(data.a)) throw invalid();
  if (data.m === 'd') return { mode: 'delta', org: orgId, after: data.a };
  if (data.m === 's' && isSeq(data.u) && data.a <= data.u) {
    return { mode: 'snapshot', org: orgId, upTo: data.u, after: data.a };
  }
  throw invalid();
}
