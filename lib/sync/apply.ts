// Takes the sync server's items into the vault. The server is not trusted (docs/architecture.md,
// "Sync"): an item is kept only if every ciphertext opens with the binding of the place the item
// claims (lib/vault/binding.ts) and its version is newer than any this device holds; anything else is
// reported as damaged and never used. A secret or personal override edited here and there at once
// is kept twice.
import { openJson, openText } from '../vault/cipher';
import { VaultError } from '../vault/errors';
import { secretAd, verAbove } from '../vault/binding';
import type { VaultContext, WriteTx } from '../vault/context';
import { commitIndex, entryOf, loadIndex, metaOf, type IndexEntry } from '../vault/env-index';
import { isNameClash } from '../vault/name-clashes';
import { overrideItemId, recordKey } from '../vault/outbox';
import { resealOverride, resealSecret } from './reseal';
import type { ConflictRecord, OverrideRecord, OverrideState, SecretRecord, ServerItem, TrashRecord } from '../vault/schema';
import { readSentLog } from './outbound';
import { noteGone, openDeletion, readGone } from './deletions';
import { openOverride, type SealedMeta } from '../vault/secret-records';
import { openHistory } from '../vault/history';
import { withHeldHistory } from '../vault/secret-versions';
import { unlocked, type UnlockedKeys } from '../vault/session-keys';
import { claimedVer, ItemShapeError, overrideFromItem, secretFromItem, sentHere, shapeOf } from './items';
import { applyEnvironment, applySafe } from './apply-containers';
import { sealMarkDeletion } from './conflict-marks';
import { openMeta } from './preopen';
import { factsOf, sameCipher, type Outcome, type RefusalReason, type Waiting } from './apply-rules';
import { decideIncoming, type IncomingFacts, OUTCOME_OF } from './decide';
import { deletionPlaceOf, KINDS, kindOf, RECORD_KINDS, type Records } from './kinds';
import type { ItemKind } from '../vault/binding';
import { resolve } from '../vault/target';
import type { SecretMeta } from '../vault/types';

export interface ApplyResult {
  /** Items kept. */
  applied: number;
  /** Items refused: they do not open where they claim to be, or would roll a record back. */
  damaged: { id: string; kind: string; reason: RefusalReason }[];
  /** Secrets edited here and on the server: both kept, the user chooses. */
  conflicts: string[];
  /** Items whose safe or environment this device does not have yet (a later page may bring it). */
  deferred: ServerItem[];
}

/**
 * How each kind's items are taken in: a container (a safe, an environment) on its own, or what an
 * environment holds, together with the environment's index. The order is the kind's (kinds.ts).
 */
type ContainerTaker = (ctx: VaultContext, keys: UnlockedKeys, item: ServerItem, waiting: Waiting) => Promise<Outcome>;
type ContentTaker = (ctx: VaultContext, keys: UnlockedKeys, safeKey: CryptoKey, item: ServerItem, page: EnvPage) => Promise<Outcome>;
const TAKE: Record<ItemKind, { container: ContainerTaker } | { content: ContentTaker }> = {
  safe: { container: applySafe },
  environment: { container: applyEnvironment },
  secret: { content: (ctx, keys, safeKey, item, page) => applySecret(ctx, keys, safeKey, item, page) },
  override: { content: (ctx, keys, _safeKey, item, page) => applyOverride(ctx, keys, item, page) },
};
const orderOf = (item: ServerItem) => kindOf(item.kind)?.order ?? 0;
const takerOf = (item: ServerItem) => TAKE[item.kind as ItemKind];
/** The kinds an environment holds, read together for a page. */
const CONTENT_KINDS = RECORD_KINDS.filter((spec) => 'content' in TAKE[spec.kind]);

/** Applies one page of items (and any deferred from earlier pages), safes first, then environments, then their contents. */
export async function applyRemote(ctx: VaultContext, items: ServerItem[]): Promise<ApplyResult> {
  const keys = await unlocked(ctx);
  const result: ApplyResult = { applied: 0, damaged: [], conflicts: [], deferred: [] };
  const sorted = items
    .filter((item) => {
      if (kindOf(item.kind)) return true;
      result.damaged.push({ id: item.id, kind: item.kind, reason: 'malformed' });
      return false;
    })
    .sort((a, b) => orderOf(a) - orderOf(b));
  const outbox = await ctx.db.getAll('outbox');
  const pending = new Set(outbox.filter((entry) => !entry.deleted).map((entry) => entry.id));
  // What this device saw of records no longer here: deleted (sealed), or deleted here and still to
  // send (then only what the user saw, so an edit made elsewhere since still beats the deletion).
  const gone = new Map(Object.entries(await readGone(ctx)));
  for (const entry of outbox) if (entry.deleted) gone.set(entry.id, Math.max(gone.get(entry.id) ?? 0, entry.ver));
  const sent = await readSentLog(ctx);
  const waiting: Waiting = { pending, sent, gone };
  const contents: ServerItem[] = [];
  for (const item of sorted) {
    const take = takerOf(item);
    if ('container' in take) await guard(result, item, () => take.container(ctx, keys, item, waiting));
    else contents.push(item);
  }
  await applyContents(ctx, keys, contents, waiting, result);
  return result;
}

async function guard(result: ApplyResult, item: ServerItem, work: () => Promise<Outcome>): Promise<void> {
  try {
    record(result, item, await work());
  } catch (error) {
    if (!(error instanceof ItemShapeError)) throw error;
    result.damaged.push({ id: item.id, kind: item.kind, reason: 'malformed' });
  }
}

function record(result: ApplyResult, item: ServerItem, outcome: Outcome): void {
  if (outcome === 'applied') result.applied++;
  else if (outcome === 'deferred') result.deferred.push(item);
  else if (outcome === 'conflict') result.conflicts.push(item.id);
  else if (outcome !== 'same') result.damaged.push({ id: item.id, kind: item.kind, reason: outcome });
}

// Secrets and overrides, one environment (one index commit) at a time

interface Locals {
  /** By kind, then by record key. */
  records: Map<ItemKind, Map<string, unknown>>;
  /** Secrets of the page's environments waiting for the user's choice (a conflict). */
  conflicts: Set<string>;
  /** Secrets in Recently deleted, of any environment, by id: only those are taken out of it (a first pull has none to delete). */
  trash: Map<string, TrashRecord>;
}

const heldOf = <K extends ItemKind>(locals: Locals, kind: K, key: string) => locals.records.get(kind)?.get(key) as Records[K] | undefined;

/** What one environment's share of a page works on: its index entries, the writes to commit with them. */
interface EnvPage extends Waiting {
  entries: Map<string, IndexEntry>;
  writes: ((tx: WriteTx) => Promise<unknown>)[];
  locals: Locals;
}

/**
 * Every local copy the page touches, in one transaction (one per item is far slower). Only records
 * this device holds are read: the keys of the environments the items name come first, so a first
 * pull reads no records at all. A deletion names no environment; its record is looked up by id.
 * (A copy held in another environment than its item claims is not read: that item's ciphertexts,
 * bound to the environment they were sealed in, do not open there, and it is refused.)
 */
async function readLocals(ctx: VaultContext, items: ServerItem[]): Promise<Locals> {
  const envIds = new Set<string>();
  for (const item of items) if (!item.deleted && typeof item.ciphertext.env === 'string') envIds.add(item.ciphertext.env);
  // What an environment holds lives in stores indexed by environment (`byEnv`).
  const stores = CONTENT_KINDS.map((spec) => spec.store as 'secrets' | 'overrides');
  const tx = ctx.db.transaction([...stores, 'conflicts', 'trash']);
  const keysIn = (store: (typeof stores)[number] | 'conflicts') =>
    Promise.all([...envIds].map((env) => tx.objectStore(store).index('byEnv').getAllKeys(env))).then((lists) => new Set(lists.flat()));
  const trashed = tx
    .objectStore('trash')
    .getAll()
    .then((all) => new Map(all.map((t) => [t.id, t])));
  const [conflicts, trash, ...held] = await Promise.all([keysIn('conflicts'), trashed, ...stores.map(keysIn)]);
  const wanted = CONTENT_KINDS.map((spec, n) => [
    ...new Set(items.filter((i) => (i.kind === spec.kind && i.deleted) || held[n]!.has(recordKey(i.id))).map((i) => recordKey(i.id))),
  ]);
  const records = await Promise.all(
    CONTENT_KINDS.map((_spec, n) => Promise.all(wanted[n]!.map((id) => tx.objectStore(stores[n]!).get(id) as Promise<unknown>))),
  );
  await tx.done;
  const out: Locals = { records: new Map(), conflicts: conflicts as Set<string>, trash };
  CONTENT_KINDS.forEach((spec, n) => {
    const byKey = new Map<string, unknown>();
    wanted[n]!.forEach((id, m) => {
      if (records[n]![m]) byKey.set(id, records[n]![m]);
    });
    out.records.set(spec.kind, byKey);
  });
  return out;
}

async function applyContents(
  ctx: VaultContext,
  keys: UnlockedKeys,
  items: ServerItem[],
  waiting: Waiting,
  result: ApplyResult,
): Promise<void> {
  // One read for every local copy the page touches (a transaction per item is far slower), and
  // one item per id: the newest, if a deferred one and a later page both carry it.
  const newest = new Map<string, ServerItem>();
  for (const item of items) if ((newest.get(item.id)?.revision ?? -1) < item.revision) newest.set(item.id, item);
  items = [...newest.values()];
  const locals = await readLocals(ctx, items);
  const byEnv = new Map<string, { safeId: string; items: ServerItem[] }>();
  for (const item of items) {
    let envId: string | undefined;
    if (item.deleted) {
      let local = heldOf(locals, item.kind as ItemKind, recordKey(item.id)) as { envId?: string } | undefined;
      // A secret in Recently deleted is listed where it was (while that environment is here):
      // another device may delete it forever.
      const trashed = item.kind === KINDS.secret.kind && !local ? locals.trash.get(item.id) : undefined;
      if (trashed && (await ctx.db.get('environments', trashed.envId))) local = trashed;
      if (!local) {
        result.applied++; // already gone here
        continue;
      }
      envId = local.envId;
    } else {
      envId = item.ciphertext.env;
    }
    if (typeof envId !== 'string') {
      result.damaged.push({ id: item.id, kind: item.kind, reason: 'malformed' });
      continue;
    }
    const group = byEnv.get(envId) ?? { safeId: item.safe_id, items: [] };
    group.items.push(item);
    byEnv.set(envId, group);
  }
  for (const [envId, group] of byEnv) {
    const env = await ctx.db.get('environments', envId);
    if (!env || env.safeId !== group.safeId) {
      // An environment this device does not have (yet), or one in another safe than the item says.
      for (const item of group.items) record(result, item, env ? 'does_not_open' : 'deferred');
      continue;
    }
    let target: Awaited<ReturnType<typeof resolve>>;
    try {
      target = await resolve(ctx, keys, { safeId: group.safeId, envId });
    } catch (error) {
      // A safe key that does not open, or a safe gone: refused. The database failing (a worker
      // stopped mid-run) refuses nothing: the run fails and the next one pulls the page again.
      if (!(error instanceof VaultError)) throw error;
      for (const item of group.items) record(result, item, 'does_not_open');
      continue;
    }
    const index = await loadIndex(ctx, target);
    const entries = new Map(index.entries.map((e) => [e.id, e]));
    const writes: ((tx: WriteTx) => Promise<unknown>)[] = [];
    const page: EnvPage = { ...waiting, entries, writes, locals };
    // Each item opens its ciphertexts on its own, so WebCrypto works on them side by side; ids are distinct.
    const apply = async (item: ServerItem) => {
      try {
        const take = takerOf(item);
        record(result, item, 'content' in take ? await take.content(ctx, keys, target.safeKey, item, page) : 'malformed');
      } catch (error) {
        if (!(error instanceof ItemShapeError)) throw error;
        record(result, item, 'malformed');
      }
    };
    // In the kinds' order, secrets before overrides: an override's index entry is its secret's.
    for (const order of [...new Set(group.items.map(orderOf))].sort((a, b) => a - b))
      await Promise.all(group.items.filter((i) => orderOf(i) === order).map(apply));
    if (writes.length === 0) continue;
    await commitIndex(ctx, target, index, [...entries.values()], ['secrets', 'overrides', 'conflicts', 'outbox', 'sync', 'trash'], (tx) =>
      writes.map((w) => w(tx)),
    );
  }
}

async function applySecret(ctx: VaultContext, keys: UnlockedKeys, safeKey: CryptoKey, item: ServerItem, page: EnvPage): Promise<Outcome> {
  const { sent, entries, writes, locals } = page;
  const local = heldOf(locals, 'secret', item.id);
  const trashed = locals.trash.get(item.id);
  if (item.deleted && !local && trashed) return eraseFromTrash(safeKey, item, trashed, writes);
  const incoming = item.deleted ? undefined : shapeOf(() => secretFromItem(item, ctx.now()));
  const facts: IncomingFacts = {
    ...factsOf(KINDS.secret, item, local, page, incoming?.ver),
    malformed: !item.deleted && !incoming,
    moved: !!(local && incoming && (local.envId !== incoming.envId || local.safeId !== incoming.safeId)),
    sameBytes: !!(local && incoming && sameCipher(local.meta, incoming.meta) && sameCipher(local.value, incoming.value)),
    ownEcho: sentHere(sent, item),
  };
  let decision = decideIncoming(facts);
  let deletion: Awaited<ReturnType<typeof openDeletion>>;
  // The meta must open here (the index is built from it). The value is opened before it replaces a
  // copy held here, so a damaged one never overwrites a good one; a secret new to this device is
  // opened when first read, with the same binding, and reported damaged then (never used).
  let meta: SealedMeta | undefined;
  let value: string | undefined;
  if (decision === 'open-first' && item.deleted && local) {
    deletion = await openDeletion(safeKey, deletionPlaceOf(KINDS.secret, local), item);
    decision = decideIncoming({ ...facts, opens: !!deletion }); // unsealed: a deletion no device of the account made
  } else if (decision === 'open-first' && incoming) {
    try {
      [meta, value] = await Promise.all([
        openMeta(safeKey, item, incoming),
        local && openText(safeKey, incoming.value, secretAd(incoming, 'value')),
        // A history sent with its version (by a Keysmith before histories stayed on their devices) likewise:
        // bound to this secret and version, so one stripped, moved from another secret or kept from
        // another version is refused before it replaces the history held here.
        local && incoming.history && openHistory(safeKey, incoming),
      ]);
    } catch {
      meta = undefined;
    }
    // A version sealed with a history says so in its meta: a server that strips the field is caught.
    facts.opens = meta !== undefined && !(meta.history === true && !incoming.history);
    decision = decideIncoming(facts);
    if (decision === 'compare-first')
      decision = decideIncoming({ ...facts, sameContent: await sameContent(safeKey, local!, meta!, value) });
  }
  switch (decision) {
    case 'keep-edit': {
      // Deleted there, edited here: the edit is kept and sent again on top of the deletion, numbered
      // above the last version the deleter saw. If the user is yet to choose between two versions,
      // the other one is now this deletion.
      const kept = await aboveDeletion(local!, item, (ver) => resealSecret(safeKey, local!, ver, ctx.now()));
      writes.push((tx) => tx.objectStore('secrets').put(kept), theirsNowDeleted(item));
      break;
    }
    case 'take-deletion': {
      const held = local!;
      const gone = deletion!;
      // Its personal override is an item of its own, deleted by its own tombstone (the device that deleted
      // the secret sent both): kept until then, so an override edited here meanwhile is not lost.
      entries.delete(item.id);
      // Deleted one by one elsewhere: listed in Recently deleted here too, for 30 days (trash.ts).
      if (gone.remains && typeof item.ciphertext.gone === 'string') {
        const trash: TrashRecord = {
          id: held.id,
          safeId: held.safeId,
          envId: held.envId,
          ver: gone.ver,
          at: gone.at,
          sealed: item.ciphertext.gone,
          rev: item.revision,
        };
        writes.push((tx) => tx.objectStore('trash').put(trash));
      }
      page.gone.set(item.id, Math.max(page.gone.get(item.id) ?? 0, gone.ver));
      writes.push(
        (tx) => noteGone(tx, { [item.id]: gone.ver }),
        (tx) => tx.objectStore('secrets').delete(item.id),
        (tx) => tx.objectStore('conflicts').delete(item.id),
      );
      await settleOverrideOf(ctx, keys, page, item.id);
      break;
    }
    case 'same-copy':
      if (local!.rev !== item.revision) writes.push((tx) => tx.objectStore('secrets').put({ ...local!, rev: item.revision }));
      break;
    case 'own-echo':
      // This device's own earlier write (its push's answer was lost): the edit made since goes on top.
      writes.push((tx) => tx.objectStore('secrets').put({ ...local!, rev: item.revision, seen: incoming!.ver }));
      break;
    case 'alike': {
      // Changed alike on two devices (the same clash settled on both): nothing to choose, nothing to send.
      // The copy held here said the same: only the versions before it go into the history.
      const taken = await withHeldHistory(safeKey, local!, incoming!, { replaced: false });
      entries.set(item.id, entryOf(item.id, meta!, entries.get(item.id)));
      writes.push(
        (tx) => tx.objectStore('secrets').put(taken),
        (tx) => tx.objectStore('outbox').delete(item.id),
      );
      if (locals.conflicts.has(item.id)) writes.push((tx) => tx.objectStore('conflicts').delete(item.id));
      break;
    }
    case 'conflict':
      // Edited here and there since the last sync: keep both until the user chooses.
      writes.push(keepBoth(item, local!, ctx.now()));
      break;
    case 'take': {
      // A personal override may have arrived before its secret (a snapshot comes in change order).
      const override = entries.has(item.id) ? undefined : heldOf(locals, 'override', item.id);
      const previous = entries.get(item.id) ?? (override && { hasOverride: true, overrideActive: override.active });
      entries.set(item.id, entryOf(item.id, meta!, previous));
      // The version it replaces here goes into this device's history of it.
      const taken = local ? await withHeldHistory(safeKey, local, incoming!, { replaced: true }) : incoming!;
      writes.push((tx) => tx.objectStore('secrets').put(taken));
      // Brought back from Recently deleted on another device: no longer deleted here either.
      if (!local && locals.trash.has(item.id)) writes.push((tx) => tx.objectStore('trash').delete(item.id));
      if (locals.conflicts.has(item.id)) writes.push((tx) => tx.objectStore('conflicts').delete(item.id));
      break;
    }
    case 'open-first':
    case 'compare-first':
      throw new Error(`undecided: ${decision}`);
  }
  return OUTCOME_OF[decision];
}

/**
 * A deletion of a secret this device lists in Recently deleted: another device deleted it forever
 * (trash.ts), so it leaves the list here too. Only a deletion sealed with the safe key for this
 * secret, above the one listed and holding no remains, does that; the listed deletion seen again
 * changes nothing, and one that does not open is refused (a server cannot empty Recently deleted).
 */
async function eraseFromTrash(safeKey: CryptoKey, item: ServerItem, trashed: TrashRecord, writes: EnvPage['writes']): Promise<Outcome> {
  const gone = await openDeletion(safeKey, { kind: KINDS.secret.kind, safeId: trashed.safeId, id: trashed.id }, item);
  if (!gone) return OUTCOME_OF['refuse-damaged'];
  if (gone.remains || gone.ver <= trashed.ver) return OUTCOME_OF['already-have'];
  writes.push(
    (tx) => tx.objectStore('trash').delete(item.id),
    (tx) => noteGone(tx, { [item.id]: gone.ver }),
  );
  return OUTCOME_OF['take-deletion'];
}

/**
 * A choice between two copies of a personal override is asked under its secret, so only while the
 * secret is here. Once the secret's sealed deletion is applied, a choice still open about its
 * override is settled for the server's copy (the override's own sealed deletion, or another device's
 * edit) and this device's unsent edit of it goes. Left open, it could never be shown or made, and this
 * device would keep its edit queued for ever, to send it on top of the override's own deletion. The
 * override record itself stays, unseen, in case the secret comes back (a device kept an edit of it).
 */
async function settleOverrideOf(ctx: VaultContext, keys: UnlockedKeys, page: EnvPage, secretId: string): Promise<void> {
  const itemId = overrideItemId(secretId);
  const conflict = await ctx.db.get('conflicts', itemId);
  if (!conflict || isNameClash(conflict)) return;
  page.writes.push((tx) => tx.objectStore('outbox').delete(itemId), ...(await choiceEnded(ctx, keys, conflict)));
  if (conflict.theirs.deleted) {
    const deletion = await openDeletion(keys.vaultKey, { kind: 'override', safeId: conflict.safeId, id: secretId }, conflict.theirs);
    if (!deletion) return; // a deletion no device made: this device's copy stays as it is
    page.writes.push(
      (tx) => noteGone(tx, { [itemId]: deletion.ver }),
      (tx) => tx.objectStore('overrides').delete(secretId),
    );
    return;
  }
  // A server copy that does not open as this override is never used: this device's copy stays.
  const opened = await openTheirOverride(keys.vaultKey, conflict.theirs, ctx.now()).catch(() => undefined);
  if (opened && opened.record.secretId === secretId) page.writes.push((tx) => tx.objectStore('overrides').put(opened.record));
}

async function applyOverride(ctx: VaultContext, keys: UnlockedKeys, item: ServerItem, page: EnvPage): Promise<Outcome> {
  const { sent, entries, writes, locals } = page;
  const secretId = recordKey(item.id);
  const local = heldOf(locals, 'override', secretId);
  const entry = entries.get(secretId);
  // The override of a secret deleted here: no choice to ask about it (settleOverrideOf), the
  // server's copy is taken and an edit of it still queued here goes.
  const secretGone = !entry && page.gone.has(secretId);
  const shape = item.deleted ? undefined : shapeOf(() => overrideFromItem(item, ctx.now()));
  const facts: IncomingFacts = {
    ...factsOf(KINDS.override, item, local, page, shape?.ver),
    malformed: !item.deleted && !shape,
    moved: !!(local && shape && (local.envId !== shape.envId || local.safeId !== shape.safeId)),
    ownerGone: secretGone,
    sameBytes: !!(local && shape && sameCipher(local.value, shape.value)),
    ownEcho: sentHere(sent, item),
  };
  let decision = decideIncoming(facts);
  if (decision === 'already-have') return OUTCOME_OF[decision];
  if (secretGone && page.pending.has(item.id)) {
    writes.push(
      (tx) => tx.objectStore('outbox').delete(item.id),
      (tx) => tx.objectStore('conflicts').delete(item.id),
    );
  }
  let deletion: Awaited<ReturnType<typeof openDeletion>>;
  let opened: Awaited<ReturnType<typeof openTheirOverride>> | undefined;
  if (decision === 'open-first' && item.deleted && local) {
    deletion = await openDeletion(keys.vaultKey, deletionPlaceOf(KINDS.override, local), item);
    decision = decideIncoming({ ...facts, opens: !!deletion });
  } else if (decision === 'open-first') {
    opened = await openTheirOverride(keys.vaultKey, item, ctx.now()).catch(() => undefined);
    decision = decideIncoming({ ...facts, opens: opened !== undefined });
    if (decision === 'compare-first') {
      const mine = await openOverride(keys.vaultKey, local!).catch(() => undefined);
      const same = mine?.value === opened!.state.value && mine?.active === opened!.state.active;
      decision = decideIncoming({ ...facts, opens: true, sameContent: same });
    }
  }
  switch (decision) {
    case 'keep-edit': {
      // As for a secret: kept above the deletion; a choice still to make is now against the deletion.
      const kept = await aboveDeletion(local!, item, (ver) => resealOverride(keys.vaultKey, local!, ver, ctx.now()));
      writes.push((tx) => tx.objectStore('overrides').put(kept), theirsNowDeleted(item));
      break;
    }
    case 'take-deletion': {
      const ver = deletion!.ver;
      if (entry) entries.set(secretId, { ...entry, hasOverride: false, overrideActive: false });
      writes.push(
        (tx) => noteGone(tx, { [item.id]: ver }),
        (tx) => tx.objectStore('overrides').delete(secretId),
      );
      // A choice about it, shown here from another device's mark (or found here), ends with it: no
      // copy is left to choose between, and a mark's later deletion no longer finds the override to
      // end the view with (as settleOverrideOf does when its secret goes).
      const conflict = await ctx.db.get('conflicts', item.id);
      if (conflict && !isNameClash(conflict)) writes.push(...(await choiceEnded(ctx, keys, conflict)));
      break;
    }
    case 'same-copy':
      if (local!.rev !== item.revision) writes.push((tx) => tx.objectStore('overrides').put({ ...local!, rev: item.revision }));
      break;
    case 'own-echo':
      writes.push((tx) => tx.objectStore('overrides').put({ ...local!, rev: item.revision, seen: opened!.record.ver }));
      break;
    case 'conflict':
      // A personal override changed on two of the user's devices: both kept until the user chooses.
      writes.push(keepBoth(item, local!, ctx.now()));
      break;
    case 'alike':
    case 'take': {
      // Alike: the same value and on/off chosen on two devices (one conflict settled on both at once).
      const { record: incoming, state } = opened!;
      if (entry) entries.set(secretId, { ...entry, hasOverride: true, overrideActive: state.active });
      writes.push((tx) => tx.objectStore('overrides').put(incoming));
      if (decision === 'alike') writes.push((tx) => tx.objectStore('outbox').delete(item.id));
      // A conflict shown from another device's mark ends once a choice arrives, as a secret's does.
      if (locals.conflicts.has(item.id)) writes.push((tx) => tx.objectStore('conflicts').delete(item.id));
      break;
    }
    case 'open-first':
    case 'compare-first':
      throw new Error(`undecided: ${decision}`);
  }
  return OUTCOME_OF[decision];
}

/**
 * A choice about an override that can no longer be shown or made goes, and so does the mark this
 * device left for it (conflict-marks.ts): no device can show or settle that choice any more.
 */
async function choiceEnded(
  ctx: VaultContext,
  keys: UnlockedKeys,
  conflict: ConflictRecord,
): Promise<((tx: WriteTx) => Promise<unknown>)[]> {
  const markGone = conflict.mark?.from === 'here' ? await sealMarkDeletion(keys.vaultKey, conflict, ctx.now()) : undefined;
  return [(tx) => tx.objectStore('conflicts').delete(conflict.id), ...(markGone ? [markGone] : [])];
}

/** The server's copy waits in the conflicts store beside the one held here, until the user chooses. */
const keepBoth = (item: ServerItem, local: { safeId: string; envId: string }, at: number) => async (tx: WriteTx) => {
  // Its mark stays with it: the other devices show this conflict until it is settled (lib/sync/conflict-marks.ts).
  const held = await tx.objectStore('conflicts').get(item.id);
  const mark = held && !isNameClash(held) ? held.mark : undefined;
  await tx
    .objectStore('conflicts')
    .put({ id: item.id, safeId: local.safeId, envId: local.envId, theirs: item, at, ...(mark ? { mark } : {}) });
};

/** A choice still to make about this item is now against its deletion there. */
const theirsNowDeleted = (item: ServerItem) => async (tx: WriteTx) => {
  const conflict = await tx.objectStore('conflicts').get(item.id);
  if (conflict && !isNameClash(conflict)) await tx.objectStore('conflicts').put({ ...conflict, theirs: item });
};

/** Whether a secret held here says the same (meta and value) as an incoming copy, opened. */
async function sameContent(safeKey: CryptoKey, local: SecretRecord, meta: SecretMeta, value: string | undefined): Promise<boolean> {
  if (value === undefined) return false;
  try {
    const [mine, mineValue] = await Promise.all([
      openJson<SecretMeta>(safeKey, local.meta, secretAd(local, 'meta')),
      openText(safeKey, local.value, secretAd(local, 'value')),
    ]);
    return mineValue === value && JSON.stringify(metaOf(mine)) === JSON.stringify(metaOf(meta));
  } catch {
    return false;
  }
}

/**
 * A record edited here that the server deleted, rebased on the deletion's revision and, if needed,
 * sealed again above the last version the deleting device saw (which the tombstone carries), so
 * every device takes it as newer than what it holds.
 */
async function aboveDeletion<R extends { ver?: number; rev?: number; seen?: number }>(
  local: R,
  tombstone: ServerItem,
  reseal: (ver: number) => Promise<R>,
): Promise<R> {
  if ((local.ver ?? 0) > claimedVer(tombstone)) return { ...local, rev: tombstone.revision };
  return { ...(await reseal(verAbove(local.ver, claimedVer(tombstone)))), rev: tombstone.revision };
}

/** A server copy of a personal override, opened (its on/off is sealed inside with the value). */
export async function openTheirOverride(
  vaultKey: CryptoKey,
  item: ServerItem,
  now: number,
): Promise<{ record: OverrideRecord; state: OverrideState }> {
  const shape = overrideFromItem(item, now);
  const state = await openOverride(vaultKey, { ...shape, active: false });
  return { record: { ...shape, active: state.active }, state };
}

// Used by tests and conflict resolution: what a conflicting server copy says, opened.
export async function openTheirs(
  safeKey: CryptoKey,
  item: ServerItem,
  now: number,
): Promise<{ record: SecretRecord; meta: SecretMeta; value: string }> {
  const record = secretFromItem(item, now);
  const [meta, value] = await Promise.all([
    openJson<SecretMeta>(safeKey, record.meta, secretAd(record, 'meta')),
    openText(safeKey, record.value, secretAd(record, 'value')),
  ]);
  return { record, meta, value };
}
