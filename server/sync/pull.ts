/**
 * Reading changes. A first pull is a snapshot of live items taken up to the org's current
 * sequence S, paged by seq; its last page hands back a delta cursor at S, so anything written
 * while the snapshot was being paged arrives afterwards. Deltas include tombstones. A delta cursor
 * below the org's tombstone horizon (tombstones it would need were purged) gets a fresh snapshot
 * with `fullResync: true`.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import { items, orgs } from '../db/schema';
import type { Db } from '../db/types';
import { notFound } from '../errors';
import { type Cursor, encodeCursor } from './cursor';
import { type ItemView, itemView } from './item-view';

export interface PullResult {
  items: ItemView[];
  cursor: string;
  /** Call again with `cursor`: more pages, or changes made while a snapshot was paged. */
  hasMore: boolean;
  /** This page belongs to a snapshot: items absent from it (once complete) are not on the server. */
  snapshot: boolean;
  /** The client's cursor was too old: drop local synced state and take this snapshot instead. */
  fullResync: boolean;
}

async function readOrg(db: Db, orgId: string) {
  const [org] = await db
    .select({ changeSeq: orgs.changeSeq, horizon: orgs.tombstoneHorizon })
    .from(orgs)
    .where(eq(orgs.id, orgId));
  if (!org) throw notFound('Organization not found.');
  return org;
}

async function snapshotPage(db: Db, orgId: string, upTo: number, after: number, limit: number) {
  const rows = await db
    .select()
    .from(items)
    .where(and(eq(items.orgId, orgId), eq(items.deleted, false), gt(items.seq, after), lte(items.seq, upTo)))
    .orderBy(asc(items.seq))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const next: Cursor = more
    ? { mode: 'snapshot', org: orgId, upTo, after: page[page.length - 1]!.seq }
    : { mode: 'delta', org: orgId, after: upTo };
  // On the last snapshot page, changes made since the snapshot began are still to come.
  const hasMore = more || (await readOrg(db, orgId)).changeSeq > upTo;
  return { items: page.map(itemView), cursor: encodeCursor(next), hasMore, snapshot: true };
}

export async function pull(db: Db, orgId: string, cursor: Cursor | null, limit: number): Promise<PullResult> {
  if (!cursor) {
    const { changeSeq } = await readOrg(db, orgId);
    return { ...(await snapshotPage(db, orgId, changeSeq, 0, limit)), fullResync: false };
  }
  if (cursor.mode === 'snapshot') {
    return { ...(await snapshotPage(db, orgId, cursor.upTo, cursor.after, limit)), fullResync: false };
  }
  // Items first, horizon second: a purge committed before the item read is then always noticed.
  const rows = await db
    .select()
    .from(items)
    .where(and(eq(items.orgId, orgId), gt(items.seq, cursor.after)))
    .orderBy(asc(items.seq))
    .limit(limit + 1);
  const org = await readOrg(db, orgId);
  if (cursor.after < org.horizon) {
    return { ...(await snapshotPage(db, orgId, org.changeSeq, 0, limit)), fullResync: true };
  }
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const after = page.length > 0 ? page[page.length - 1]!.seq : cursor.after;
  return {
    items: page.map(itemView),
    cursor: encodeCursor({ mode: 'delta', org: orgId, after }),
    hasMore,
    snapshot: false,
    fullResync: false,
  };
}
