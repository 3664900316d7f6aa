// The outbox: every change that syncs is queued here in the same IndexedDB transaction as the change,
// so a worker stopped mid-write, a restart or a crash never loses one (docs/architecture.md, "Sync").
import { nextVer, type ItemKind } from './binding';
import type { WriteTx } from './context';
import type { OverrideRecord, SafeRecord, EnvironmentRecord, SecretRecord, TrashRecord } from './schema';

/** A personal override is its own item beside its secret. */
export function overrideItemId(secretId: string): string {
  return `${secretId}.override`;
}

/** The key of an item's record in its store: an override's is its secret's id. */
export function recordKey(itemId: string): string {
  return itemId.endsWith('.override') ? itemId.slice(0, -'.override'.length) : itemId;
}

/** The store that holds each kind of item. */
export const STORE_OF = { safe: 'safes', environment: 'environments', secret: 'secrets', override: 'overrides' } as const;

type Queued =
  | { kind: 'safe'; record: SafeRecord }
  | { kind: 'environment'; record: EnvironmentRecord }
  | { kind: 'secret'; record: SecretRecord }
  | { kind: 'override'; record: OverrideRecord };

function itemOf(q: Queued): { id: string; safeId: string } {
  switch (q.kind) {
    case 'safe':
      return { id: q.record.id, safeId: q.record.id };
    case 'override':
      return { id: overrideItemId(q.record.secretId), safeId: q.record.safeId };
    default:
      return { id: q.record.id, safeId: q.record.safeId };
  }
}

/** Queues the record as it will be when the transaction commits (the push reads it again then). */
export function queuePut(tx: WriteTx, kind: ItemKind, record: Queued['record']): Promise<unknown> {
  const { id, safeId } = itemOf({ kind, record } as Queued);
  return tx.objectStore('outbox').put({ id, kind, safeId, deleted: false, rev: 0, ver: 0 });
}

/**
 * Queues the deletion of a record, remembering which server revision it deletes and the newest
 * version the user could have seen: the record's own if nothing of it was waiting to be sent, else
 * only what the server had shown. A server copy newer than that is an edit the user never saw, and
 * it beats this deletion (lib/sync/outbound.ts).
 */
export async function queueDelete(tx: WriteTx, kind: ItemKind, record: Queued['record'], sealed?: string): Promise<unknown> {
  const { id, safeId } = itemOf({ kind, record } as Queued);
  const waiting = await tx.objectStore('outbox').get(id);
  const ver = waiting && !waiting.deleted ? (record.seen ?? 0) : (record.ver ?? 0);
  // The deletion is a version of its own, above every one this device holds or saw (lib/sync/deletions.ts).
  const gone = nextVer(record, record.seen);
  return tx.objectStore('outbox').put({ id, kind, safeId, deleted: true, rev: record.rev ?? 0, ver, gone, ...(sealed ? { sealed } : {}) });
}

/**
 * Queues a secret's deletion for good, over its deletion in Recently deleted: its own version above
 * that deletion's (`over`), sealed without remains (`sealed`). While that deletion still waits to be
 * sent, this takes its place and keeps what it was based on: the server revision it deletes and the
 * version the user saw, so an edit made elsewhere that the user never saw still beats it. Otherwise
 * it is based on the server revision last known (a push that meets a newer tombstone is based on it
 * then, lib/sync/outbound.ts).
 */
export async function queueErase(tx: WriteTx, t: TrashRecord, gone: number, sealed: string): Promise<unknown> {
  const outbox = tx.objectStore('outbox');
  const waiting = await outbox.get(t.id);
  const based = waiting?.deleted ? { rev: waiting.rev, ver: waiting.ver } : { rev: t.rev ?? 0, ver: t.ver };
  return outbox.put({ id: t.id, kind: 'secret', safeId: t.safeId, deleted: true, ...based, gone, sealed, erase: true, over: t.ver });
}
