/**
 * A secret's earlier versions, kept by the server as it overwrites them (table item_revisions).
 * Every push of a secret already replaced the ciphertext it held, so the server always could have
 * kept them; now it does, so versions need not travel inside every item as a sealed history, and a
 * device that lacks some asks for them. Each kept row is the whole item at its own version, sealed
 * and bound by its AES-GCM associated data to kind, safe, environment, id, field and version
 * (docs/architecture.md, "Record binding"): a server can withhold or drop revisions, but a forged,
 * moved or re-numbered one does not open on a device.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { WireItem } from '../../lib/sync/wire';
import { itemRevisions } from '../db/schema';
import type { Db } from '../db/types';
import type { Tx } from './org-lock';
import { itemView } from './item-view';
import { ciphertextBytes } from './quota';

/** Earlier versions kept per item; older ones are deleted as newer arrive. */
export const KEPT_REVISIONS = 20;

/** The kind whose earlier versions are kept (lib/sync/kinds.ts names it). */
const KEPT_KIND = 'secret';

/**
 * Whether a write keeps the row it replaces: a secret, live until now, overwritten by a secret's
 * edit or by its tombstone (the last live copy is kept, so Recently deleted can show history), unless
 * it is erased for good.
 */
export function keepsRevision(write: { kind?: string }, current: { kind: string; deleted: boolean } | undefined, erasing = false): boolean {
  return write.kind === KEPT_KIND && current?.kind === KEPT_KIND && !current.deleted && !erasing;
}

/**
 * Copies the current rows of `ids` (items about to be overwritten, under the org write lock) into
 * item_revisions and deletes each one's revisions beyond the newest 20, in one statement. The
 * DELETE sees the table as it was before the statement: the row being added is newer than every
 * kept one, so it removes what ranks 20th and beyond among those. Returns the bytes it removed.
 */
export async function keepRevisions(tx: Tx, orgId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  const result = await tx.execute(sql`
    WITH kept AS (
      INSERT INTO item_revisions (org_id, item_id, revision, safe_id, kind, ciphertext, bytes, created_at)
      SELECT org_id, id, revision, safe_id, kind, ciphertext, ${ciphertextBytes(sql.raw('ciphertext'))}, updated_at
      FROM items WHERE org_id = ${orgId} AND id IN (${list})
    ), trimmed AS (
      DELETE FROM item_revisions r
      USING (
        SELECT item_id, revision, row_number() OVER (PARTITION BY item_id ORDER BY revision DESC) AS newer
        FROM item_revisions WHERE org_id = ${orgId} AND item_id IN (${list})
      ) ranked
      WHERE ranked.newer >= ${KEPT_REVISIONS} AND r.org_id = ${orgId}
        AND r.item_id = ranked.item_id AND r.revision = ranked.revision
      RETURNING r.bytes
    )
    SELECT coalesce(sum(bytes), 0)::bigint AS bytes FROM trimmed`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { bytes: number | string }[];
  return Number(rows[0]?.bytes ?? 0);
}

/**
 * Whether a write erases an item for good: a deletion that says `erase`, sent when the user deletes
 * a secret forever from Recently deleted (usually over its deletion; over the live item when that
 * deletion was never sent). Nothing of the item is kept but the tombstone (its version and seal),
 * so the account's storage is freed at once rather than when the tombstone is purged (90 days by
 * default).
 */
export function erases(write: { deleted?: boolean; ciphertext?: Record<string, string> }): boolean {
  return !!write.deleted && write.ciphertext?.erase === '1';
}

/** Deletes every kept revision of `ids` (under the org write lock). Returns the bytes it removed. */
export async function dropRevisions(tx: Tx, orgId: string, ids: string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await tx
    .delete(itemRevisions)
    .where(and(eq(itemRevisions.orgId, orgId), inArray(itemRevisions.itemId, ids)))
    .returning({ bytes: itemRevisions.bytes });
  return rows.reduce((sum, row) => sum + row.bytes, 0);
}

/**
 * An item's kept revisions in this org, newest first, each in the pull's item shape. An id unknown
 * here and another org's id get the same empty list: nothing tells whether it exists elsewhere.
 */
export async function listRevisions(db: Db, orgId: string, itemId: string): Promise<WireItem[]> {
  const rows = await db
    .select()
    .from(itemRevisions)
    .where(and(eq(itemRevisions.orgId, orgId), eq(itemRevisions.itemId, itemId)))
    .orderBy(desc(itemRevisions.revision))
    .limit(KEPT_REVISIONS);
  return rows.map((row) => itemView({ ...row, id: row.itemId, deleted: false, updatedAt: row.createdAt }));
}
