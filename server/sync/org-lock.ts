/**
 * Per-org write serialisation. Every write to an org's items runs in a transaction that first
 * locks the org row (`SELECT … FOR UPDATE`) and takes its change sequence numbers from that row
 * while holding the lock. Commits therefore become visible in sequence order, so a reader that
 * pages by "seq > cursor" can never see change n+1 without change n (no skipped changes).
 * A transaction that moved the sequence also announces it on commit (live/changes.ts), for the
 * devices connected to any server process.
 */
import { eq } from 'drizzle-orm';
import { orgs } from '../db/schema';
import type { Db } from '../db/types';
import { notFound } from '../errors';
import { announceChange } from '../live/changes';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface SeqAllocator {
  /** The next change sequence number in this org. */
  next(): number;
  /** The last number handed out (or the org's current one if none yet). */
  current(): number;
}

export async function withOrgWriteLock<T>(db: Db, orgId: string, work: (tx: Tx, seq: SeqAllocator) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    const [org] = await tx.select({ changeSeq: orgs.changeSeq }).from(orgs).where(eq(orgs.id, orgId)).for('update');
    if (!org) throw notFound('Organization not found.');
    let seq = org.changeSeq;
    const result = await work(tx, { next: () => ++seq, current: () => seq });
    if (seq !== org.changeSeq) {
      await tx.update(orgs).set({ changeSeq: seq }).where(eq(orgs.id, orgId));
      await announceChange(tx, { orgId, seq });
    }
    return result;
  });
}
