/**
 * Writing a batch of items with optimistic concurrency. Each item names the revision it was
 * based on; under the org write lock the server compares it with its copy: equal → written with
 * revision+1 and a fresh change sequence number; different → not written, and the result carries
 * the server's copy so the client can keep both (docs/server.md, "Sync"). A stale write never
 * overwrites.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { items, safes } from '../db/schema';
import type { Db } from '../db/types';
import { notFound } from '../errors';
import type { WireResult, WireWrite } from '../../lib/sync/wire';
import { itemView } from './item-view';
import { withOrgWriteLock } from './org-lock';
import { checkQuota, type Quota, usageOf } from './quota';
import { dropRevisions, erases, keepRevisions, keepsRevision } from './revisions';

const CHUNK = 500;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** With `quota`, a batch that would take the org past it is refused whole (507, sync/quota.ts). */
export async function pushItems(db: Db, orgId: string, writes: WireWrite[], quota?: Quota): Promise<WireResult[]> {
  return withOrgWriteLock(db, orgId, async (tx, seq) => {
    const safeIds = [...new Set(writes.map((w) => w.safe_id))];
    const known = new Set<string>();
    for (const part of chunks(safeIds)) {
      const rows = await tx
        .select({ id: safes.id })
        .from(safes)
        .where(and(eq(safes.orgId, orgId), inArray(safes.id, part)));
      for (const row of rows) known.add(row.id);
    }
    const missing = safeIds.find((id) => !known.has(id));
    if (missing) throw notFound(`Safe ${missing} was not found in this organization; nothing was written.`);

    const existing = new Map<string, typeof items.$inferSelect>();
    for (const part of chunks(writes.map((w) => w.id))) {
      const rows = await tx
        .select()
        .from(items)
        .where(and(eq(items.orgId, orgId), inArray(items.id, part)));
      for (const row of rows) existing.set(row.id, row);
    }

    const now = new Date();
    const accepted: (typeof items.$inferInsert)[] = [];
    // Deleted forever: nothing of the item is kept but its tombstone (revisions.ts).
    const erased = new Set<string>();
    const results = writes.map((write): WireResult => {
      const current = existing.get(write.id);
      const currentRevision = current?.revision ?? 0;
      if (write.baseRevision !== currentRevision) {
        return { id: write.id, ok: false, conflict: current ? itemView(current) : null };
      }
      const revision = currentRevision + 1;
      if (erases(write)) erased.add(write.id);
      accepted.push({
        orgId,
        id: write.id,
        safeId: write.safe_id,
        kind: write.kind,
        revision,
        deleted: write.deleted,
        ciphertext: write.deleted ? tombstone(write.ciphertext) : write.ciphertext,
        seq: seq.next(),
        updatedAt: now,
      });
      return { id: write.id, ok: true, revision };
    });

    // Before the upsert overwrites them: the live secrets this batch replaces become kept revisions.
    const keeps = (row: (typeof accepted)[number]) => keepsRevision(row, existing.get(row.id!), erased.has(row.id!));
    const keeping = accepted.filter(keeps).map((row) => row.id!);
    let freedBytes = 0;
    for (const part of chunks(keeping)) freedBytes += await keepRevisions(tx, orgId, part);
    for (const part of chunks([...erased])) freedBytes += await dropRevisions(tx, orgId, part);

    for (const part of chunks(accepted)) {
      await tx
        .insert(items)
        .values(part)
        .onConflictDoUpdate({
          target: [items.orgId, items.id],
          set: {
            safeId: sql`excluded.safe_id`,
            kind: sql`excluded.kind`,
            revision: sql`excluded.revision`,
            deleted: sql`excluded.deleted`,
            ciphertext: sql`excluded.ciphertext`,
            seq: sql`excluded.seq`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }

    if (quota) {
      const change = { items: 0, bytes: -freedBytes };
      for (const row of accepted) {
        const current = existing.get(row.id!);
        const before = usageOf(current);
        const after = usageOf({ deleted: row.deleted!, ciphertext: row.ciphertext! });
        const kept = keeps(row) ? before.bytes : 0;
        change.items += after.items - before.items;
        // A deletion always passes, so a full account can be tidied; what its tombstone keeps, and a
        // secret's last live copy kept as a revision, count toward later writes (orgUsage reads them).
        const grown = after.bytes - before.bytes + kept;
        change.bytes += row.deleted ? Math.min(0, grown) : grown;
      }
      await checkQuota(tx, orgId, change, quota);
    }
    return results;
  });
}

/**
 * Deletes a safe and turns its live items into tombstones in the same locked transaction, so
 * other devices learn of the deletions through their next delta. False when the safe is not in
 * this org.
 */
export async function deleteSafe(db: Db, orgId: string, safeId: string): Promise<boolean> {
  return withOrgWriteLock(db, orgId, async (tx, seq) => {
    const removed = await tx
      .delete(safes)
      .where(and(eq(safes.orgId, orgId), eq(safes.id, safeId)))
      .returning({ id: safes.id });
    if (removed.length === 0) return false;
    const live = await tx
      .select({ id: items.id, revision: items.revision })
      .from(items)
      .where(and(eq(items.orgId, orgId), eq(items.safeId, safeId), eq(items.deleted, false)));
    for (const part of chunks(live)) {
      const values = sql.join(
        part.map((row) => sql`(${row.id}::text, ${row.revision + 1}::int, ${seq.next()}::bigint)`),
        sql`, `,
      );
      await tx.execute(sql`
        UPDATE ${items} SET deleted = true, ciphertext = '{}'::jsonb, revision = v.revision,
          seq = v.seq, updated_at = now()
        FROM (VALUES ${values}) AS v(id, revision, seq)
        WHERE ${items.orgId} = ${orgId} AND ${items.id} = v.id`);
    }
    return true;
  });
}

/**
 * A deletion keeps its version (`ver`, opaque digits) and its seal (`gone`, opaque base64): clients prove with the seal that a device of the account made the
 * deletion, so the server cannot invent one, and number an edit that beats it above its version.
 * A secret's seal also holds, encrypted, what it said (the client's "Recently deleted"), so it may
 * be as large as the body allows; its bytes count toward the quota (quota.ts) until the tombstone
 * is purged. Nothing else of a deleted item is kept.
 */
function tombstone(ciphertext: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (/^[1-9][0-9]{0,8}$/.test(ciphertext.ver ?? '')) out.ver = ciphertext.ver!;
  if (/^[A-Za-z0-9+/=]+$/.test(ciphertext.gone ?? '')) out.gone = ciphertext.gone!;
  return out;
}
