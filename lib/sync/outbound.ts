// What the outbox sends to the sync server, and what the server's answer does to it: an accepted
// write clears its entry, a stale one is a conflict (docs/architecture.md, "Sync").
import type { ItemKind } from '../vault/binding';
import type { VaultContext, WriteTx } from '../vault/context';
import { verAbove } from '../vault/binding';
import { queuePut, recordKey } from '../vault/outbox';
import type { OutboxEntry, SafeRecord, SentLog, ServerItem } from '../vault/schema';
import { unlocked, type UnlockedKeys } from '../vault/session-keys';
import { noteGone, sealDeletion, type DeletionPlace } from './deletions';
import { VaultError } from '../vault/errors';
import { alikeOnServer } from './alike';
import { cipherToWire, claimedVer, sealingOf, sentHere, type ItemWrite } from './items';
import { KINDS, RECORD_KINDS, sealingKeyOf, type RecordKind, type Records } from './kinds';
import { decideAnswer } from './decide';

/** One push: the items of a batch write, the server safes they need, and safes to delete. */
export interface Outgoing {
  writes: ItemWrite[];
  /** Server safe rows these writes need (created idempotently first); `name` is the sealed name. */
  safes: { id: string; name: string }[];
  /**
   * Safes deleted here: the server deletes their items with them. `write` is the safe's sealed
   * deletion, written first so other devices can tell it from one the server invented.
   */
  safeDeletions: { id: string; write?: ItemWrite }[];
  /** The version of each record as sent, to tell whether it changed while the push was on the wire. */
  vers: Record<string, number>;
  /** Changes in the outbox, this push's included. */
  waiting: number;
  /** Secrets held back until the user settles their conflict. */
  held: number;
  /** Changes the server refused on their own (kept, reported, sent again once edited). */
  refused: number;
}

/** Keeps a batch under the server's 1 MiB body limit with room to spare. */
const MAX_BATCH_BYTES = 768 * 1024;
const MAX_BATCH_ITEMS = 500;

export interface WriteOutcome {
  id: string;
  ok: boolean;
  revision?: number;
  conflict?: ServerItem | null;
}

export async function outgoing(ctx: VaultContext): Promise<Outgoing> {
  const keys = await unlocked(ctx);
  const tx = ctx.db.transaction(['outbox', 'conflicts', 'safes', 'environments', 'secrets', 'overrides']);
  const [entries, conflictIds] = await Promise.all([tx.objectStore('outbox').getAll(), tx.objectStore('conflicts').getAllKeys()]);
  const conflicted = new Set(conflictIds);
  const out: Outgoing = { writes: [], safes: [], safeDeletions: [], vers: {}, waiting: entries.length, held: 0, refused: 0 };
  const neededSafes = new Set<string>();
  let bytes = 0;
  // Safes first, then environments, then what they hold, so the server never sees an item before its safe.
  entries.sort((a, b) => KINDS[a.kind].order - KINDS[b.kind].order);
  for (const entry of entries) {
    if (conflicted.has(entry.id)) {
      out.held++;
      continue;
    }
    if (entry.refused) {
      out.refused++;
      continue;
    }
    if (KINDS[entry.kind].holdsOthers && entry.deleted) {
      const ciphertext = entry.sealed ? { ver: String(entry.gone), gone: entry.sealed } : undefined;
      const write =
        ciphertext && entry.rev > 0
          ? { id: entry.id, safe_id: entry.id, kind: 'safe' as const, baseRevision: entry.rev, deleted: true, ciphertext }
          : undefined;
      out.safeDeletions.push(write ? { id: entry.id, write } : { id: entry.id });
      continue;
    }
    const write = await writeOf(tx, entry);
    if (!write) continue;
    const size = JSON.stringify(write.item).length;
    if (out.writes.length >= MAX_BATCH_ITEMS || (out.writes.length > 0 && bytes + size > MAX_BATCH_BYTES)) break;
    bytes += size;
    out.writes.push(write.item);
    out.vers[write.item.id] = write.ver;
    neededSafes.add(write.item.safe_id);
  }
  const safes = new Map<string, SafeRecord>();
  for (const id of new Set([...neededSafes, ...out.writes.filter((w) => w.deleted).map((w) => w.safe_id)])) {
    const safe = await tx.objectStore('safes').get(id);
    if (safe) safes.set(id, safe);
    if (safe && neededSafes.has(id)) out.safes.push({ id, name: cipherToWire(safe.name) });
  }
  await tx.done;
  // Deletions are sealed as they leave (deletions.ts), with keys opened outside the transaction.
  for (const write of out.writes)
    if (write.deleted && write.ciphertext.gone === undefined) await sealOutgoingDeletion(ctx, keys, safes.get(write.safe_id), write);
  return out;
}

async function sealOutgoingDeletion(ctx: VaultContext, keys: UnlockedKeys, safe: SafeRecord | undefined, write: ItemWrite): Promise<void> {
  const place: DeletionPlace = { kind: write.kind, safeId: write.safe_id, id: recordKey(write.id) };
  try {
    const key = KINDS[write.kind].sealedBy === 'vault' ? keys.vaultKey : safe && (await keys.safeKey(safe));
    if (key) write.ciphertext.gone = await sealDeletion(key, place, Number(write.ciphertext.ver), ctx.now());
  } catch (error) {
    // A safe whose key does not open: the deletion goes unsealed, and other devices refuse it.
    if (!(error instanceof VaultError)) throw error;
  }
}

type ReadTx = ReturnType<VaultContext['db']['transaction']>;

/**
 * A deletion answered while the user deleted it forever (the entry now erases it): the erase is
 * still to send, on top of the server's revision.
 */
const erasedSince = (entry: OutboxEntry | undefined, write: ItemWrite): boolean => !!entry?.erase && write.ciphertext.erase !== '1';

async function writeOf(tx: ReadTx, entry: OutboxEntry): Promise<{ item: ItemWrite; ver: number } | undefined> {
  const base = { id: entry.id, safe_id: entry.safeId, kind: entry.kind };
  if (entry.deleted) {
    // The deletion's own version, above every one this device saw: an edit made elsewhere that
    // beats it is numbered above it (apply.ts, aboveDeletion). Sealed by `outgoing`.
    const ciphertext: Record<string, string> = { ver: String(entry.gone ?? entry.ver + 1) };
    // A secret's deletion sealed when it was made, with its remains (trash.ts).
    if (entry.sealed && entry.gone !== undefined) ciphertext.gone = entry.sealed;
    // Deleted forever from Recently deleted: the server keeps only this tombstone (server/sync/revisions.ts).
    if (entry.erase) ciphertext.erase = '1';
    return { item: { ...base, baseRevision: entry.rev, deleted: true, ciphertext }, ver: 0 };
  }
  const spec = KINDS[entry.kind] as RecordKind<ItemKind>;
  const record = (await tx.objectStore(spec.store).get(recordKey(entry.id))) as Records[ItemKind] | undefined;
  if (!record || record.ver === undefined) return undefined; // gone with its safe, or not yet bound
  const ciphertext = spec.toItem(record as never);
  return { item: { ...base, baseRevision: record.rev ?? 0, deleted: false, ciphertext }, ver: record.ver };
}

export async function readSentLog(ctx: VaultContext): Promise<SentLog> {
  return ((await ctx.db.get('sync', 'sent')) as SentLog | undefined) ?? {};
}

/**
 * Just before a push: each write's sealing, kept until the server's answer for it arrives. If the
 * answer is lost (a dropped connection after the server acted), the write later comes back as the
 * server's copy and is recognised as this device's own, not taken for another device's edit.
 */
export async function noteSent(ctx: VaultContext, writes: ItemWrite[]): Promise<void> {
  const tx = ctx.db.transaction('sync', 'readwrite');
  const log = ((await tx.store.get('sent')) as SentLog | undefined) ?? {};
  for (const write of writes) {
    const sealing = write.deleted ? undefined : sealingOf(write.ciphertext);
    if (sealing && !log[write.id]?.includes(sealing)) log[write.id] = [...(log[write.id] ?? []).slice(-3), sealing];
  }
  await tx.store.put(log, 'sent');
  await tx.done;
}

/** The answers arrived: what those writes were is no longer needed. */
async function forgetSent(ctx: VaultContext, ids: string[]): Promise<void> {
  const tx = ctx.db.transaction('sync', 'readwrite');
  const log = (await tx.store.get('sent')) as SentLog | undefined;
  if (log) {
    for (const id of ids) delete log[id];
    await tx.store.put(log, 'sent');
  }
  await tx.done;
}

export interface AckResult {
  accepted: number;
  /** Secrets now waiting for the user's choice. */
  conflicts: string[];
  /** Server copies to take in now: edits made elsewhere that beat a deletion made here. */
  resurrect: ServerItem[];
  /** Writes the server answered with a copy at or below one this device has seen: refused, still queued. */
  replayed: string[];
}

/**
 * Records the server's answer to a push. Accepted: the record takes the new revision and its entry
 * goes, unless the record changed while the push was on the wire. Refused as stale:
 * - deleted there, edited here → the edit is sent again on top of the deletion;
 * - edited there, deleted here → the deletion is dropped and the server's copy is taken in (the
 *   caller applies `resurrect`), unless it is this device's own earlier version (then the deletion is
 *   sent again);
 * - the server holds this device's own earlier write (its answer was lost): the record is rebased
 *   on it and the edit made since is sent again — no conflict;
 * - a secret or a personal override edited on both sides → a conflict, both copies kept until the
 *   user chooses;
 * - a safe or environment renamed on both sides → this device's copy wins and is sent again above
 *   the server's version.
 */
export async function acknowledge(ctx: VaultContext, sent: Outgoing, results: WriteOutcome[]): Promise<AckResult> {
  const keys = await unlocked(ctx);
  const byId = new Map(sent.writes.map((w) => [w.id, w]));
  const log = await readSentLog(ctx);
  const out: AckResult = { accepted: 0, conflicts: [], resurrect: [], replayed: [] };
  const alike = await alikeOnServer(ctx, keys, sent.writes, results);
  for (const result of results) {
    const write = byId.get(result.id);
    if (!write) continue;
    const spec = KINDS[write.kind];
    const store = spec.store;
    const key = recordKey(write.id);
    // The store of the record it belongs to, if any (an override's secret): a choice needs it here.
    const owner = spec.belongsTo && KINDS[spec.belongsTo].store;
    const tx = ctx.db.transaction(['outbox', store, ...(owner ? [owner] : []), 'conflicts', 'sync'], 'readwrite') as WriteTx;
    const entry = await tx.objectStore('outbox').get(write.id);
    const record = (await tx.objectStore(store).get(key)) as ({ ver?: number; rev?: number; seen?: number } & object) | undefined;
    const theirs = result.conflict ?? null;
    const decision = decideAnswer({
      rules: spec,
      ok: result.ok,
      sentDeletion: write.deleted,
      theirs: theirs
        ? {
            deleted: theirs.deleted,
            ver: claimedVer(theirs),
            exactlySent: sameItem(theirs.ciphertext, write.ciphertext),
            sentHere: sentHere(log, theirs),
          }
        : undefined,
      queued: entry && { deleted: entry.deleted, ver: entry.ver, ...(entry.erase ? { erase: entry.over ?? entry.ver } : {}) },
      held: record,
      changedSince: record?.ver !== sent.vers[write.id],
      ownerGone: !!owner && !result.ok && !(await tx.objectStore(owner).get(key)),
      sameContent: alike.has(write.id),
    });
    switch (decision) {
      case 'accepted':
        out.accepted++;
        if (write.deleted) {
          if (entry && erasedSince(entry, write)) await tx.objectStore('outbox').put({ ...entry, rev: result.revision! });
          else if (entry?.deleted) await tx.objectStore('outbox').delete(write.id);
          await noteGone(tx, { [write.id]: Number(write.ciphertext.ver) || 0 });
        } else {
          if (record)
            await tx.objectStore(store).put({
              ...record,
              rev: result.revision,
              seen: Math.max(record.seen ?? 0, sent.vers[write.id] ?? 0),
            } as never);
          if (entry?.deleted) await tx.objectStore('outbox').put({ ...entry, rev: result.revision! });
          else if (entry && record?.ver === sent.vers[write.id]) await tx.objectStore('outbox').delete(write.id);
        }
        break;
      case 'deletion-done':
        if (entry && theirs && erasedSince(entry, write)) await tx.objectStore('outbox').put({ ...entry, rev: theirs.revision });
        else await tx.objectStore('outbox').delete(write.id);
        break;
      case 'deletion-again':
        await tx.objectStore('outbox').put({ ...entry!, rev: theirs!.revision });
        break;
      case 'edit-beats-deletion':
        // Edited elsewhere after this device last saw it: the edit wins and comes back here, even if
        // the pull cursor is already past it.
        await tx.objectStore('outbox').delete(write.id);
        out.resurrect.push(theirs!);
        break;
      case 'send-whole':
        await tx.objectStore(store).put({ ...record, rev: 0 } as never); // the server has no copy: send it whole
        break;
      case 'rebase-on-deletion':
        await tx.objectStore(store).put({ ...record, rev: theirs!.revision } as never);
        break;
      case 'own-echo':
        // This device's own write, whose answer was lost on the way.
        await tx.objectStore(store).put({ ...record, rev: theirs!.revision, seen: claimedVer(theirs!) } as never);
        if (entry && !entry.deleted && record!.ver === sent.vers[write.id]) await tx.objectStore('outbox').delete(write.id);
        break;
      case 'own-earlier-echo':
        // An earlier write of this device, whose answer was lost: the edit made since goes on top of it.
        await tx.objectStore(store).put({ ...record, rev: theirs!.revision, seen: claimedVer(theirs!) } as never);
        break;
      case 'refuse-replay':
        // A copy at or below one this device has seen, answered as another device's edit: a replay
        // (rollback attack). Refused; the edit stays queued, and the engine backs off instead of
        // sending it again at once.
        out.replayed.push(write.id);
        break;
      case 'owner-gone':
        // An override whose secret was deleted here since: no choice can be shown without the secret
        // (apply.ts settleOverrideOf). This device's copy and edit go; the server's comes back.
        await tx.objectStore(store).delete(key);
        await tx.objectStore('outbox').delete(write.id);
        out.resurrect.push(theirs!);
        break;
      case 'alike':
        // The same content sent from two devices (one choice made on both): taken, nothing to choose.
        // The server's copy as alike.ts opened it (an override's on/off is sealed inside it).
        await tx.objectStore(store).put({ ...alike.get(write.id)!, rev: theirs!.revision, seen: claimedVer(theirs!) } as never);
        if (entry && !entry.deleted) await tx.objectStore('outbox').delete(write.id);
        await tx.objectStore('conflicts').delete(write.id);
        break;
      case 'conflict': {
        const held = record as { safeId: string; envId: string };
        await tx.objectStore('conflicts').put({ id: write.id, safeId: held.safeId, envId: held.envId, theirs: theirs!, at: ctx.now() });
        out.conflicts.push(write.id);
        break;
      }
      case 'edit-above-deletion':
      // Sent again on top of the deletion, numbered above the last version its deleter saw. The
      // record takes the deletion's revision only with its new version (sealAbove), in one write: a
      // worker stopped in between would otherwise send the edit at the deletion's own version, which
      // every device that saw the deletion refuses as a rollback.
      case 'keep-mine':
        await tx.done;
        await sealAbove(ctx, keys, write.kind, key, theirs!);
        continue;
      case 'nothing':
        break;
    }
    await tx.done;
  }
  await forgetSent(
    ctx,
    results.map((r) => r.id),
  );
  return out;
}

function sameItem(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * This device's record stays, sealed again above the server's version: a safe or environment
 * renamed on both sides, or any record edited here and deleted there. The server's version is not
 * opened here, so it only lifts this one's, within bounds (verAbove).
 */
async function sealAbove(
  ctx: VaultContext,
  keys: Awaited<ReturnType<typeof unlocked>>,
  kind: ItemKind,
  key: string,
  theirs: ServerItem,
): Promise<void> {
  const spec = KINDS[kind] as RecordKind<ItemKind>;
  const record = (await ctx.db.get(spec.store, key)) as Records[ItemKind] | undefined;
  const sealingKey = record && (await sealingKeyOf(ctx, keys, spec, record));
  if (!record || !sealingKey) return;
  const next = await spec.reseal(sealingKey, record as never, verAbove(record.ver, claimedVer(theirs)), ctx.now());
  // acknowledge runs alone (an exclusive operation), so nothing changed the record since it was read.
  await ctx.db.put(spec.store, { ...next, rev: theirs.revision } as never);
}

/** What the status line shows: changes waiting to be sent, secrets in conflict, changes the server refused. */
export async function syncCounts(ctx: VaultContext): Promise<{ waiting: number; conflicts: number; refused: number }> {
  const tx = ctx.db.transaction(['outbox', 'conflicts']);
  const [entries, conflicts] = await Promise.all([tx.objectStore('outbox').getAll(), tx.objectStore('conflicts').count()]);
  await tx.done;
  return { waiting: entries.length, conflicts, refused: entries.filter((e) => e.refused).length };
}

/** The server refused these changes on their own: they stay queued, reported, until edited again. */
export async function markRefused(ctx: VaultContext, ids: string[], code: string): Promise<void> {
  const tx = ctx.db.transaction('outbox', 'readwrite');
  for (const id of ids) {
    const entry = await tx.store.get(id);
    if (entry) await tx.store.put({ ...entry, refused: code });
  }
  await tx.done;
}

/** After a safe deletion reached the server (or the server had no such safe). */
export async function safeDeleted(ctx: VaultContext, id: string): Promise<void> {
  const tx = ctx.db.transaction(['outbox', 'sync'], 'readwrite') as WriteTx;
  const entry = await tx.objectStore('outbox').get(id);
  if (entry?.deleted && KINDS[entry.kind].holdsOthers) {
    await tx.objectStore('outbox').delete(id);
    await noteGone(tx, { [id]: entry.gone ?? entry.ver + 1 });
  }
  await tx.done;
}

/**
 * Before a first upload to a new account: every record is queued as new (no server revision), so
 * the whole vault is sent; conflicts from any earlier server are forgotten.
 */
export async function queueEverything(ctx: VaultContext): Promise<number> {
  await unlocked(ctx);
  const tx = ctx.db.transaction([...RECORD_KINDS.map((spec) => spec.store), 'outbox', 'conflicts'], 'readwrite') as WriteTx;
  await Promise.all([tx.objectStore('outbox').clear(), tx.objectStore('conflicts').clear()]);
  let count = 0;
  for (const { kind, store } of RECORD_KINDS) {
    for (const record of await tx.objectStore(store).getAll()) {
      const { rev: _rev, ...rest } = record;
      await Promise.all([tx.objectStore(store).put(rest as never), queuePut(tx, kind, rest as never)]);
      count++;
    }
  }
  await tx.done;
  return count;
}
