/**
 * Tombstone purge. Deleted items older than the retention are removed and the org's horizon is
 * raised past them, under the org write lock, so a delta cursor from before the purge is answered
 * with `fullResync` rather than silently missing deletions.
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import { items, orgs } from '../db/schema';
import type { Db } from '../db/types';
import { withOrgWriteLock } from './org-lock';

export async function purgeTombstones(db: Db, retentionSeconds: number): Promise<number> {
  const cutoff = new Date(Date.now() - retentionSeconds * 1000);
  const candidates = await db
    .selectDistinct({ orgId: items.orgId })
    .from(items)
    .where(and(eq(items.deleted, true), lt(items.updatedAt, cutoff)));
  let purged = 0;
  for (const { orgId } of candidates) {
    purged += await withOrgWriteLock(db, orgId, async (tx) => {
      const removed = await tx
        .delete(items)
        .where(and(eq(items.orgId, orgId), eq(items.deleted, true), lt(items.updatedAt, cutoff)))
        .returning({ seq: items.seq });
      const highest = Math.max(0, ...removed.map((r) => r.seq));
      if (highest > 0) {
        await tx
          .update(orgs)
          .set({ tombstoneHorizon: sql`greatest(${orgs.tombstoneHorizon}, ${highest})` })
          .where(eq(orgs.id, orgId));
      }
      return removed.length;
    });
  }
  return purged;
}
