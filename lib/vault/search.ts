// One search over every safe and environment, from the names in memory (search-names.ts).
import { matchesAny } from '../autofill/sites';
import type { VaultContext } from './context';
import { metaOf, type IndexEntry } from './env-index';
import { invalid } from './errors';
import { checkedNamesOf, hitAt, hitsOf, namesOf, upToDate, type EnvNames } from './search-names';
import { unlocked, type UnlockedKeys } from './session-keys';
import type { IndexRecord } from './schema';
import type { DamagedItem, SafeSummary, SearchHit, SearchResult, SecretSummary } from './types';

/** How many recent answers a cache keeps (each is at most `limit` hits). */
const RECENT_ANSWERS = 64;

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
      total += env.entries.length;
      for (let i = 0; i < env.entries.length && hits.length < limit; i++) hits.push(hitAt(env, i));
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
      if (hits.length < limit) hits.push(hitAt(env, i));
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
 * The secrets whose fill sites include `origin` (a page's), from every safe and environment
 * in the order the popup lists them. Like search, it reads only the names in memory, once checked
 * against the records: a value is about to be read for what it lists.
 */
export async function forSite(ctx: VaultContext, origin: string): Promise<SearchHit[]> {
  return hitsWhere(ctx, (e) => e.autofill !== undefined && matchesAny(e.autofill, origin));
}

/** Every secret marked as an encryption key, in the order the popup lists them. */
export async function encryptionKeys(ctx: VaultContext): Promise<SearchHit[]> {
  return hitsWhere(ctx, (e) => e.encryptionKey === true);
}

/**
 * The secrets whose names pass `keep`, in the order the popup lists them, from the checked names
 * in memory. Only those become hits: a popup opening asks this (this site's secrets, what is due)
 * of 100,000 names, which then costs a loop, not 100,000 new objects.
 */
export async function hitsWhere(ctx: VaultContext, keep: (entry: IndexEntry) => boolean): Promise<SearchHit[]> {
  const cache = await checkedNamesOf(ctx, await unlocked(ctx));
  const hits: SearchHit[] = [];
  for (const env of cache.envs.values()) {
    const { entries } = env;
    for (let i = 0; i < entries.length; i++) if (keep(entries[i]!)) hits.push(hitAt(env, i));
  }
  return hits;
}

/** One secret's names and where it lives, from memory; undefined when no such secret opened. */
export async function findHit(ctx: VaultContext, id: string): Promise<SearchHit | undefined> {
  const cache = await checkedNamesOf(ctx, await unlocked(ctx));
  for (const env of cache.envs.values()) {
    const i = env.entries.findIndex((e) => e.id === id);
    if (i !== -1) return hitAt(env, i);
  }
  return undefined;
}

/** Every secret's names and where it lives, from memory, in the order the popup lists them. */
export async function allHits(ctx: VaultContext): Promise<SearchHit[]> {
  const cache = await checkedNamesOf(ctx, await unlocked(ctx));
  return [...cache.envs.values()].flatMap(hitsOf);
}

/**
 * Reads every environment's names into memory now, so the first keystroke of a search does not
 * wait for it (the background starts this at unlock, with the indexes it read during the KDF
 * (`readIndexes`), and when a popup opens).
 */
export async function prepareSearch(ctx: VaultContext, readAhead?: Promise<IndexRecord[]>): Promise<void> {
  await namesOf(ctx, await unlocked(ctx), readAhead);
}

/**
 * One environment's list from the names already in memory, when they were checked against the
 * records and nothing was written since: the popup's next opening then decrypts nothing.
 * Undefined when it has to be read.
 */
export function cachedList(
  ctx: VaultContext,
  keys: UnlockedKeys,
  safeId: string,
  envId: string,
): (SecretSummary | DamagedItem)[] | undefined {
  const env: EnvNames | undefined = upToDate(ctx, keys)?.envs.get(envId);
  if (!env?.checked || env.target.safe.id !== safeId) return undefined;
  const list: (SecretSummary | DamagedItem)[] = env.entries.map((e) => ({
    ...metaOf(e),
    id: e.id,
    overridden: e.hasOverride && e.overrideActive,
    hasOverride: e.hasOverride,
  }));
  return list.concat(env.damaged);
}

/** The safe list from memory, when nothing was written since it was read; else undefined. */
export function cachedSafes(ctx: VaultContext, keys: UnlockedKeys): SafeSummary[] | undefined {
  return upToDate(ctx, keys)?.safes;
}
