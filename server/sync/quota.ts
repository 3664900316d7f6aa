/**
 * Storage quota per org (an account's personal org): live items and the bytes of their ciphertext
 * (field names and values, UTF-8), the earlier versions the server keeps of each secret included
 * (item_revisions: up to 20 per secret, so without them an account could store 21 times its quota). Without it, one account could fill the database's disk for
 * everyone (resource exhaustion, CWE-400; OWASP API Security Top 10 2023, API4). A write that would
 * take an org past either limit is refused whole with 507 `quota_exceeded`; writes that free room
 * (deletions, smaller values) always pass, so a full account can always be tidied; what a deleted
 * secret keeps (its remains for Recently deleted, its earlier versions) is freed when it is deleted
 * forever (revisions.ts), or when its tombstone is purged.
 */
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../config';
import { itemRevisions, items } from '../db/schema';
import { ApiError } from '../errors';
import type { Tx } from './org-lock';

export type Quota = Config['quota'];

export interface Usage {
  items: number;
  bytes: number;
}

/**
 * What one stored version of an item counts: a live item is one item and its bytes; a tombstone
 * only the bytes of what it keeps (its seal may carry a deleted secret for Recently deleted, and a
 * client must not store data past its quota by deleting it).
 */
export function usageOf(row: { deleted: boolean; ciphertext: Record<string, string> } | undefined): Usage {
  if (!row) return { items: 0, bytes: 0 };
  let bytes = 0;
  for (const [field, value] of Object.entries(row.ciphertext)) bytes += Buffer.byteLength(field) + Buffer.byteLength(value);
  return { items: row.deleted ? 0 : 1, bytes };
}

/** The bytes `usageOf` counts, in SQL, for a ciphertext column (kept revisions store it at insert). */
export const ciphertextBytes = (column: unknown) =>
  sql<number>`(select coalesce(sum(octet_length(e.key) + octet_length(e.value)), 0) from jsonb_each_text(${column}) e)::int`;

/**
 * The org's usage now, counted the same way as `usageOf`, under the org write lock: live items, the
 * bytes of every item (tombstones included) and of every kept revision.
 */
export async function orgUsage(tx: Tx, orgId: string): Promise<Usage> {
  const revisionBytes = tx
    .select({ bytes: sql`coalesce(sum(${itemRevisions.bytes}), 0)` })
    .from(itemRevisions)
    .where(eq(itemRevisions.orgId, orgId));
  const [row] = await tx
    .select({
      items: sql<number>`(count(*) filter (where not ${items.deleted}))::int`,
      bytes: sql<number>`(coalesce(sum(${ciphertextBytes(items.ciphertext)}), 0) + (${revisionBytes}))::bigint`,
    })
    .from(items)
    .where(eq(items.orgId, orgId));
  return { items: Number(row?.items ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/**
 * Throws 507 when `change`, already written in this transaction, grew usage past the quota; the
 * throw rolls the transaction back, so a refused batch leaves nothing. Checked after the writes
 * because what trimming a secret's oldest kept revision frees is known only once it is deleted.
 */
export async function checkQuota(tx: Tx, orgId: string, change: Usage, quota: Quota): Promise<void> {
  if (change.items <= 0 && change.bytes <= 0) return;
  const after = await orgUsage(tx, orgId);
  if ((change.items > 0 && after.items > quota.items) || (change.bytes > 0 && after.bytes > quota.bytes)) {
    throw new ApiError(
      507,
      'quota_exceeded',
      `This account's storage on the server is full (${quota.items} items and ${quota.bytes} bytes at most; ` +
        `this write would make ${after.items} items and ${after.bytes} bytes). Nothing was written: delete ` +
        "some secrets, then delete them forever in Recently deleted, or ask the server's operator for more room.",
    );
  }
}
