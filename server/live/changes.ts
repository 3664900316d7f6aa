/**
 * "Something changed in this org": the PostgreSQL `NOTIFY` every write to an org's items sends when
 * it commits, so every server process on the database (each `LISTEN`s once) can poke its connected
 * devices. The payload is the org and its new change sequence number, never content.
 */
import { sql } from 'drizzle-orm';
import type { Tx } from '../sync/org-lock';

export const CHANGES_CHANNEL = 'keysmith_changes';

export interface Change {
  orgId: string;
  seq: number;
}

/** Queued inside the writing transaction: PostgreSQL delivers it on commit, and never after a rollback. */
export async function announceChange(tx: Tx, change: Change): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${`${change.orgId}:${change.seq}`})`);
}

export function parseChange(payload: string): Change | undefined {
  const match = /^([0-9a-f-]{36}):(\d{1,15})$/.exec(payload);
  return match ? { orgId: match[1]!, seq: Number(match[2]) } : undefined;
}
