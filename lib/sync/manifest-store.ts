// Each safe's manifest (manifest.ts) on the server and on this device. A device that writes to a
// safe lists what the server took (its item and version, or the version that deleted it) and sends
// the list sealed with the safe's key, bound to the safe and the manifest's own version, as the item
// `<safe id>.manifest`. Two devices writing one safe at once: the list goes with optimistic
// concurrency, and the one that meets the other's merges both (the higher version of each item) and
// sends again above both. A device reading the safe opens the newest list, refuses one older than it
// has seen (a replay, like any old copy), and compares every item the list speaks of with what it
// was given: an item held back, given at a version below the list's, or given back after the list's
// deletion is reported in words, never repaired or dropped (the records stay as they are).
import { aesGcmDecrypt, aesGcmEncrypt } from '../crypto/aes-gcm';
import { boundAd } from '../vault/binding';
import type { VaultContext, WriteTx } from '../vault/context';
import { recordKey } from '../vault/outbox';
import type { ManifestStates, ServerItem } from '../vault/schema';
import { unlocked, type UnlockedKeys } from '../vault/session-keys';
import { readGone } from './deletions';
import { cipherFromWire, cipherToWire, claimedVer, type ItemWrite } from './items';
import { itemIdOf, kindOf, NOTE_KINDS, RECORD_KINDS } from './kinds';
import {
  compare,
  countOf,
  decode,
  type Entries,
  type Entry,
  encode,
  type Finding,
  type Held,
  type ListedKind,
  merge,
  newer,
} from './manifest';

export const MANIFEST_KIND = NOTE_KINDS.manifest.kind;
const SUFFIX = NOTE_KINDS.manifest.suffix;
export const manifestItemId = (safeId: string) => `${safeId}${SUFFIX}`;
export const isManifest = (item: { kind: string }) => item.kind === MANIFEST_KIND;

/** A manifest's write: the wire's item write, of the manifest's own kind. */
export type ManifestWrite = Omit<ItemWrite, 'kind'> & { kind: typeof MANIFEST_KIND };

type State = ManifestStates[string];

/** What a check found, by safe, environment and what kind of thing: the status line's words. */
export interface ManifestFinding {
  finding: Finding;
  safeId: string;
  envId: string;
  /** `secret` counts a personal override with its secret. */
  kind: 'secret' | 'environment';
  count: number;
}

const listAd = (safeId: string, ver: number) => boundAd(MANIFEST_KIND, safeId, undefined, safeId, 'list', ver);
const LISTED = new Set<string>(RECORD_KINDS.filter((spec) => spec.listed).map((spec) => spec.kind));

async function readStates(ctx: VaultContext): Promise<ManifestStates> {
  return ((await ctx.db.get('sync', 'manifests')) as ManifestStates | undefined) ?? {};
}

async function safeKeyOf(ctx: VaultContext, keys: UnlockedKeys, safeId: string): Promise<CryptoKey | undefined> {
  const safe = await ctx.db.get('safes', safeId);
  return safe ? keys.safeKey(safe).catch(() => undefined) : undefined;
}

/**
 * A safe this device writes to before any manifest of it reached here (an account made before
 * manifests, or a new safe): its list starts from the records it holds as the server has them
 * (an edit still to send is listed once the server takes it).
 */
async function seed(ctx: VaultContext, safeId: string): Promise<Entries> {
  const listed = RECORD_KINDS.filter((spec) => spec.listed);
  // Stores of what a safe holds are indexed by safe (`bySafe`).
  const stores = listed.map((spec) => spec.store as 'environments' | 'secrets' | 'overrides');
  const tx = ctx.db.transaction([...stores, 'outbox']);
  const [pending, ...records] = await Promise.all([
    tx.objectStore('outbox').index('bySafe').getAllKeys(safeId),
    ...stores.map((store) => tx.objectStore(store).index('bySafe').getAll(safeId)),
  ]);
  await tx.done;
  const waiting = new Set(pending as string[]);
  const out: Entries = new Map();
  listed.forEach((spec, n) => {
    for (const r of records[n] as never[]) {
      const id = itemIdOf(spec, spec.key(r));
      const { ver, rev } = r as { ver?: number; rev?: number };
      const envId = spec.place(r).envId;
      if (ver && rev && envId && !waiting.has(id)) out.set(id, { kind: spec.kind as ListedKind, envId, ver, deleted: false });
    }
  });
  return out;
}

const emptyState = (entries: Entries): State => ({ ver: 0, rev: 0, entries: encode(entries), dirty: false, suspects: {} });

/** After a push: the items the server took go into their safes' lists, to be sent (manifestsToSend). */
export async function noteWritten(ctx: VaultContext, writes: ItemWrite[], results: { id: string; ok: boolean }[]): Promise<void> {
  const taken = new Set(results.filter((r) => r.ok).map((r) => r.id));
  const bySafe = new Map<string, ItemWrite[]>();
  for (const w of writes) {
    if (!taken.has(w.id) || !LISTED.has(w.kind)) continue;
    bySafe.set(w.safe_id, [...(bySafe.get(w.safe_id) ?? []), w]);
  }
  if (bySafe.size === 0) return;
  const states = await readStates(ctx);
  for (const [safeId, list] of bySafe) {
    const state = states[safeId] ?? emptyState(await seed(ctx, safeId));
    const entries = decode(state.entries);
    for (const w of list) {
      const envId = kindOf(w.kind)?.envOfItem(w) ?? entries.get(w.id)?.envId;
      const ver = Number(w.ciphertext.ver);
      if (!envId || !Number.isSafeInteger(ver) || ver <= 0) continue; // a deletion of an item never listed here
      const entry: Entry = { kind: w.kind as ListedKind, envId, ver, deleted: w.deleted };
      if (newer(entries.get(w.id), entry)) entries.set(w.id, entry);
    }
    states[safeId] = {
      ...state,
      entries: encode(entries),
      dirty: true,
      dirtySince: state.dirty ? (state.dirtySince ?? ctx.now()) : ctx.now(),
      dirtyCount: (state.dirty ? (state.dirtyCount ?? 0) : 0) + list.length,
    };
  }
  await ctx.db.put('sync', states, 'manifests');
}

/**
 * A list is about 23 bytes an item, so it is not sent with every edit of a large safe (one edit on
 * the wire would carry 300 KB at 10,000 secrets): it goes when it is new to the server, when what
 * it lacks is 1% of it or more, or when the oldest entry it lacks is 5 minutes old (the background
 * syncs at least that often). Until then a lagging list raises no false alarm: an item it does not
 * list is not checked (docs/architecture.md, "What a hostile server can and cannot do").
 */
export const MANIFEST_DELAY_MS = 5 * 60_000;
function dueNow(state: State, now: number): boolean {
  if (state.rev === 0) return true;
  return (state.dirtyCount ?? 1) * 100 >= countOf(state.entries) || now - (state.dirtySince ?? 0) >= MANIFEST_DELAY_MS;
}

/** Each list with entries due to be sent, sealed at a version above every one seen of it. */
export async function manifestsToSend(ctx: VaultContext): Promise<ManifestWrite[]> {
  const keys = await unlocked(ctx);
  const out: ManifestWrite[] = [];
  for (const [safeId, state] of Object.entries(await readStates(ctx))) {
    if (!state.dirty || !dueNow(state, ctx.now())) continue;
    const safeKey = await safeKeyOf(ctx, keys, safeId);
    if (!safeKey) continue;
    const ver = state.ver + 1;
    const sealed = await aesGcmEncrypt(safeKey, state.entries, listAd(safeId, ver));
    out.push({
      id: manifestItemId(safeId),
      safe_id: safeId,
      kind: MANIFEST_KIND,
      baseRevision: state.rev,
      deleted: false,
      ciphertext: { ver: String(ver), list: cipherToWire(sealed) },
    });
  }
  return out;
}

async function openList(safeKey: CryptoKey, item: ServerItem): Promise<Entries | undefined> {
  const ver = claimedVer(item);
  if (ver === 0 || item.deleted) return undefined;
  try {
    return decode(await aesGcmDecrypt(safeKey, cipherFromWire(item.ciphertext.list), listAd(item.safe_id, ver)));
  } catch {
    return undefined; // not sealed by a device of the account for this safe and version
  }
}

/**
 * The server's answer: a list written is sent; one that met another device's is merged with it (the
 * higher version of each item) and goes again (true when some must).
 */
export async function manifestsSent(
  ctx: VaultContext,
  writes: ManifestWrite[],
  results: { id: string; ok: boolean; revision?: number; conflict?: ServerItem | null }[],
): Promise<boolean> {
  const keys = await unlocked(ctx);
  const states = await readStates(ctx);
  const byId = new Map(writes.map((w) => [w.id, w]));
  let again = false;
  for (const result of results) {
    const write = byId.get(result.id);
    const state = write && states[write.safe_id];
    if (!write || !state) continue;
    if (result.ok) {
      states[write.safe_id] = {
        ...state,
        ver: Number(write.ciphertext.ver),
        rev: result.revision ?? state.rev,
        dirty: false,
        dirtyCount: 0,
      };
      continue;
    }
    const theirs = result.conflict;
    const safeKey = await safeKeyOf(ctx, keys, write.safe_id);
    const entries = theirs && safeKey ? await openList(safeKey, theirs) : undefined;
    // Whatever the server holds there is replaced; what opens is merged first, so no writer's entries are lost.
    states[write.safe_id] = {
      ...state,
      ver: Math.max(state.ver, entries && theirs ? claimedVer(theirs) : 0),
      rev: theirs?.revision ?? 0,
      entries: entries ? encode(merge(decode(state.entries), entries)) : state.entries,
    };
    again = true;
  }
  await ctx.db.put('sync', states, 'manifests');
  return again;
}

/** What one pull brought, by safe: the newest manifest item, and each listed item's version (or deletion's). */
export interface Arrivals {
  manifests: Map<string, ServerItem>;
  items: Map<string, Map<string, Held>>;
}

export const emptyArrivals = (): Arrivals => ({ manifests: new Map(), items: new Map() });

/** Notes one page's items (the engine calls it per page, before they are applied). */
export function noteArrivals(arrivals: Arrivals, items: ServerItem[]): void {
  for (const item of items) {
    if (isManifest(item)) {
      if ((arrivals.manifests.get(item.safe_id)?.revision ?? -1) < item.revision) arrivals.manifests.set(item.safe_id, item);
      continue;
    }
    if (!LISTED.has(item.kind)) continue;
    let safe = arrivals.items.get(item.safe_id);
    if (!safe) arrivals.items.set(item.safe_id, (safe = new Map()));
    safe.set(item.id, { ver: claimedVer(item), deleted: item.deleted });
  }
}

/**
 * After a complete pull: each safe whose manifest or items moved, or that had items found wanting,
 * is checked. Returns the findings by safe (replacing that safe's earlier ones) and how many
 * manifests were refused (not sealed for their safe and version, or older than one seen here).
 */
export async function checkManifests(
  ctx: VaultContext,
  arrivals: Arrivals,
): Promise<{ findings: Map<string, ManifestFinding[]>; refused: number }> {
  const keys = await unlocked(ctx);
  const states = await readStates(ctx);
  const safes = new Set([...arrivals.manifests.keys(), ...arrivals.items.keys()]);
  for (const [safeId, state] of Object.entries(states)) if (Object.keys(state.suspects).length > 0) safes.add(safeId);
  const findings = new Map<string, ManifestFinding[]>();
  let refused = 0;
  let touched = false;
  let gone: Record<string, number> | undefined;
  for (const safeId of safes) {
    const safeKey = await safeKeyOf(ctx, keys, safeId);
    if (!safeKey) continue;
    const state = states[safeId] ?? emptyState(new Map());
    let entries = decode(state.entries);
    const toCheck = new Set<string>([...Object.keys(state.suspects), ...(arrivals.items.get(safeId)?.keys() ?? [])]);
    const item = arrivals.manifests.get(safeId);
    let next = state;
    if (item) {
      const theirs = await openList(safeKey, item);
      if (!theirs || claimedVer(item) < state.ver) refused++;
      else {
        for (const [id, entry] of theirs) if (newer(entries.get(id), entry)) toCheck.add(id);
        entries = merge(entries, theirs);
        next = { ...state, ver: claimedVer(item), rev: item.revision, entries: encode(entries) };
      }
    }
    if (entries.size === 0) continue;
    gone ??= await readGone(ctx);
    const held = await heldHere(
      ctx,
      safeId,
      [...toCheck].filter((id) => entries.has(id)),
      arrivals.items.get(safeId),
      gone,
    );
    const suspects: State['suspects'] = {};
    const counts = new Map<string, ManifestFinding>();
    for (const [id, have] of held) {
      const entry = entries.get(id)!;
      const finding = have === 'busy' ? undefined : compare(entry, have);
      if (!finding) continue;
      suspects[id] = finding;
      const kind = kindOf(entry.kind)!.listed!.countsAs;
      const key = `${finding}/${entry.envId}/${kind}`;
      const found = counts.get(key) ?? { finding, safeId, envId: entry.envId, kind, count: 0 };
      found.count++;
      counts.set(key, found);
    }
    // Written back only when something moved: a list is some 230 KB at 10,000 secrets.
    if (next !== state || JSON.stringify(suspects) !== JSON.stringify(state.suspects)) {
      states[safeId] = { ...next, suspects };
      touched = true;
    }
    findings.set(safeId, [...counts.values()]);
  }
  if (touched) await ctx.db.put('sync', states, 'manifests');
  return { findings, refused };
}

/**
 * What this device holds of each item: what the pull brought, else its record or the version that
 * deleted it; `busy` for an item with a change of its own waiting or a choice to make (nothing to
 * compare yet).
 */
async function heldHere(
  ctx: VaultContext,
  safeId: string,
  ids: string[],
  arrived: Map<string, Held> | undefined,
  gone: Record<string, number>,
): Promise<Map<string, Held | undefined | 'busy'>> {
  const out = new Map<string, Held | undefined | 'busy'>();
  const tx = ctx.db.transaction(['environments', 'secrets', 'overrides', 'outbox', 'conflicts']) as unknown as WriteTx;
  const [pending, conflicts] = await Promise.all([
    tx.objectStore('outbox').index('bySafe').getAllKeys(safeId),
    tx.objectStore('conflicts').getAllKeys(),
  ]);
  const busy = new Set<string>([...pending, ...conflicts]);
  await Promise.all(
    ids.map(async (id) => {
      if (busy.has(id)) return out.set(id, 'busy');
      const came = arrived?.get(id);
      if (came) return out.set(id, came);
      const store = id.endsWith('.override') ? 'overrides' : (await tx.objectStore('environments').count(id)) ? 'environments' : 'secrets';
      const record = (await tx.objectStore(store).get(recordKey(id))) as { ver?: number } | undefined;
      if (record) return out.set(id, { ver: record.ver ?? 0, deleted: false });
      return out.set(id, gone[id] !== undefined ? { ver: gone[id], deleted: true } : undefined);
    }),
  );
  await tx.done;
  return out;
}
