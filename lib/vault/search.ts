// One search over every safe and environment: names decrypted once into memory, dropped with the keys on lock.
import { matchesAny } from '../autofill/targets';
import type { VaultContext } from './context';
import { loadIndex, metaOf, type EnvIndex } from './env-index';
import type { ResolvedTarget } from './target';
import { invalid } from './errors';
import { byPathThenKey } from './order';
import { listSafesWithRecords } from './safes';
import { unlocked, type UnlockedKeys } from './session-keys';
import type { DamagedItem, SafeSummary, SearchHit, SearchResult, SecretSummary } from './types';

/** One environment's secrets as a search sees them, in list order (path, then key). */
interface EnvNames {
  safeId: string;
  revision: number;
  hits: SearchHit[];
  /** Records of this environment that did not open: listed, never searched. */
  damaged: DamagedItem[];
  /** Lower-cased "key path tags" per hit, so a keystroke only scans strings. */
  haystacks: string[];
  /** Lower-cased "safe environment": a word found here matches every secret of the environment. */
  label: string;
}

interface NameCache {
  /** The vault's write count when the cache was last brought up to date. */
  writes: number;
  /** Every environment, in the order the popup shows safes and environments. */
  envs: Map<string, EnvNames>;
  /** The safe list these names were read with (listSafes' answer). */
  safes: SafeSummary[];
  /**
   * The last query's matching positions per environment (null: every secret), so a query typed on
   * scans only what the previous one matched. Built with the cache, so a write starts afresh.
   */
  last?: { words: string[]; matches: Map<EnvNames, number[] | null> };
  /** Recent answers by query and environment on screen, so erasing what was typed costs no scan. */
  answers: Map<string, SearchResult>;
}

/** How many recent answers a cache keeps (each is at most `limit` hits). */
const RECENT_ANSWERS = 64;

/**
 * Keyed by the unlocked keys: lock drops the keys, and with them every decrypted name; a new
 * unlock starts from nothing. Nothing here is ever written anywhere.
 */
const caches = new WeakMap<UnlockedKeys, Promise<NameCache>>();
/** The same caches once built, for a synchronous look. */
const built = new WeakMap<UnlockedKeys, NameCache>();

export const MAX_QUERY_LENGTH = 256;
/** A screenful and then some: the popup shows about 18 rows, and "type more to narrow" past these. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/**
 * Secrets whose key, path, tags, safe name or environment name contain every word of `query`
 * (case-insensitive), from every safe and environment: `current`'s first, then the others in the
 * order the popup lists them. At most `limit` hits; `total` counts them all.
 */
export async function search(
  ctx: VaultContext,
  query: string,
  current: { safeId?: string; envId?: string } = {},
  limit = DEFAULT_LIMIT,
): Promise<SearchResult> {
  if (typeof query !== 'string' || query.length > MAX_QUERY_LENGTH) {
    throw invalid('query', 'errQueryTooLong', MAX_QUERY_LENGTH);
  }
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid('limit', 'errLimitRange', MAX_LIMIT);
  }
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const cache = await namesOf(ctx, await unlocked(ctx));
  const asked = `${limit}\n${current.envId ?? ''}\n${words.join(' ')}`;
  const known = cache.answers.get(asked);
  if (known) return known;

  // Every word of the last query inside a word of this one: this query's matches are among the
  // last one's (a secret holding the longer word holds the shorter), so only those are scanned.
  const last = cache.last?.words.every((old) => words.some((w) => w.includes(old))) ? cache.last.matches : undefined;
  const matches = new Map<EnvNames, number[] | null>();
  const first = current.envId ? cache.envs.get(current.envId) : undefined;
  const order = first ? [first, ...[...cache.envs.values()].filter((e) => e !== first)] : [...cache.envs.values()];
  const hits: SearchHit[] = [];
  let total = 0;
  for (const env of order) {
    const { haystacks } = env;
    const rest = words.filter((w) => !env.label.includes(w));
    if (rest.length === 0) {
      matches.set(env, null);
      total += env.hits.length;
      for (let i = 0; i < env.hits.length && hits.length < limit; i++) hits.push(env.hits[i]!);
      continue;
    }
    const candidates = last?.get(env);
    const found: number[] = [];
    // Plain loops: this runs over every name on each keystroke.
    const count = candidates ? candidates.length : haystacks.length;
    next: for (let c = 0; c < count; c++) {
      const i = candidates ? candidates[c]! : c;
      const haystack = haystacks[i]!;
      for (let w = 0; w < rest.length; w++) if (haystack.indexOf(rest[w]!) === -1) continue next;
      found.push(i);
      if (hits.length < limit) hits.push(env.hits[i]!);
    }
    matches.set(env, found);
    total += found.length;
  }
  const result = { hits, total };
  cache.last = { words, matches };
  if (cache.answers.size >= RECENT_ANSWERS) cache.answers.delete(cache.answers.keys().next().value!);
  cache.answers.set(asked, result);
  return result;
}

/**
 * The secrets whose autofill targets include `origin` (a page's), from every safe and environment
 * in the order the popup lists them. Like search, it reads only the names in memory.
 */
export async function forSite(ctx: VaultContext, origin: string): Promise<SearchHit[]> {
  const cache = await namesOf(ctx, await unlocked(ctx));
  const hits: SearchHit[] = [];
  for (const env of cache.envs.values()) for (const hit of env.hits) if (matchesAny(hit.autofill, origin)) hits.push(hit);
  return hits;
}

/** Every secret marked as an encryption key, in the order the popup lists them. */
export async function encryptionKeys(ctx: VaultContext): Promise<SearchHit[]> {
  const cache = await namesOf(ctx, await unlocked(ctx));
  return [...cache.envs.values()].flatMap((env) => env.hits.filter((h) => h.encryptionKey));
}

/** One secret's names and where it lives, from memory; undefined when no such secret opened. */
export async function findHit(ctx: VaultContext, id: string): Promise<SearchHit | undefined> {
  const cache = await namesOf(ctx, await unlocked(ctx));
  for (const env of cache.envs.values()) {
    const hit = env.hits.find((h) => h.id === id);
    if (hit) return hit;
  }
  return undefined;
}

/** Every secret's names and where it lives, from memory, in the order the popup lists them. */
export async function allHits(ctx: VaultContext): Promise<SearchHit[]> {
  const cache = await namesOf(ctx, await unlocked(ctx));
  return [...cache.envs.values()].flatMap((env) => env.hits);
}

/**
 * Decrypts every environment's names into memory now, so the first keystroke of a search does not
 * wait for it (the background starts this when a popup opens).
 */
export async function prepareSearch(ctx: VaultContext): Promise<void> {
  await namesOf(ctx, await unlocked(ctx));
}

/**
 * One environment's list from the names already in memory, when nothing was written since they
 * were read: the popup's next opening then decrypts nothing. Undefined when it has to be read.
 */
export function cachedList(
  ctx: VaultContext,
  keys: UnlockedKeys,
  safeId: string,
  envId: string,
): (SecretSummary | DamagedItem)[] | undefined {
  const env = upToDate(ctx, keys)?.envs.get(envId);
  if (!env || env.safeId !== safeId) return undefined;
  const list: (SecretSummary | DamagedItem)[] = env.hits.map((h) => ({
    ...metaOf(h),
    id: h.id,
    overridden: h.overridden,
    hasOverride: h.hasOverride,
  }));
  return list.concat(env.damaged);
}

/** The safe list from memory, when nothing was written since it was read; else undefined. */
export function cachedSafes(ctx: VaultContext, keys: UnlockedKeys): SafeSummary[] | undefined {
  return upToDate(ctx, keys)?.safes;
}

/** The names in memory for these keys, if nothing was written since they were read. */
function upToDate(ctx: VaultContext, keys: UnlockedKeys): NameCache | undefined {
  const cache = built.get(keys);
  return cache?.writes === ctx.writes.count ? cache : undefined;
}

/** The cache for these keys, brought up to date when the vault was written since. */
function namesOf(ctx: VaultContext, keys: UnlockedKeys): Promise<NameCache> {
  const cached = caches.get(keys);
  const next = (async () => {
    const previous = await cached?.catch(() => undefined);
    if (previous && previous.writes === ctx.writes.count) return previous;
    return refresh(ctx, keys, previous);
  })();
  // Concurrent searches share one refresh; a failed one is not kept.
  caches.set(keys, next);
  next.then(
    (cache) => built.set(keys, cache),
    () => undefined,
  );
  next.catch(() => caches.get(keys) === next && caches.delete(keys));
  return next;
}

/**
 * Re-reads names and, after a write, the indexes' revisions; decrypts again only the environments
 * whose index changed (the first time, every one: their revisions come with them).
 */
async function refresh(ctx: VaultContext, keys: UnlockedKeys, previous: NameCache | undefined): Promise<NameCache> {
  const writes = ctx.writes.count;
  const [{ summaries: safes, safes: safeRecords, environments: envRecords }, indexes] = await Promise.all([
    listSafesWithRecords(ctx),
    previous ? ctx.db.getAll('indexes') : [],
  ]);
  const revisions = new Map(indexes.map((i) => [i.envId, i.revision]));
  // Every environment's index is read and decrypted at once (IndexedDB and WebCrypto work in
  // parallel), then kept in the order the popup lists them.
  const pending: [string, EnvNames | Promise<EnvNames>][] = [];
  for (const safe of safes) {
    const safeRecord = safeRecords.find((s) => s.id === safe.id);
    if (safe.error || !safeRecord) continue; // a damaged safe is shown, with its error, by the safe list
    const safeKey = await keys.safeKey(safeRecord);
    for (const env of safe.environments) {
      const envRecord = envRecords.find((e) => e.id === env.id);
      if (env.error || !envRecord) continue;
      const known = previous?.envs.get(env.id);
      const labels = (h: SearchHit) => h.safeName === safe.name && h.envName === env.name && h.protected === env.protected;
      if (known && known.revision === (revisions.get(env.id) ?? -1) && known.hits.every(labels)) {
        pending.push([env.id, known]);
        continue;
      }
      const target = { safe: safeRecord, safeName: safe.name, safeKey, env: envRecord, envName: env.name };
      pending.push([env.id, loadIndex(ctx, target).then((index) => namesFrom(index, target, env.protected))]);
    }
  }
  const loaded = await Promise.all(pending.map(([, names]) => names));
  const envs = new Map(pending.map(([envId], i) => [envId, loaded[i]!]));
  return { writes, envs, safes, answers: new Map() };
}

/** One environment's index as a search reads it: hits in list order, with their lower-cased text. */
function namesFrom(index: EnvIndex, target: ResolvedTarget, isProtected: boolean): EnvNames {
  const { safe, safeName, env, envName } = target;
  const hits = index.entries
    .map(
      (e): SearchHit => ({
        ...metaOf(e),
        id: e.id,
        overridden: e.hasOverride && e.overrideActive,
        hasOverride: e.hasOverride,
        safeId: safe.id,
        safeName,
        envId: env.id,
        envName,
        protected: isProtected,
      }),
    )
    .sort(byPathThenKey);
  const haystacks = hits.map((h) => `${h.key}\n${h.path}\n${h.tags.join('\n')}`.toLowerCase());
  const label = `${safeName}\n${envName}`.toLowerCase();
  return { safeId: safe.id, revision: index.revision, hits, haystacks, label, damaged: index.damaged };
}
