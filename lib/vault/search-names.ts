// Every secret's names in memory for search: read from the sealed indexes at once, then checked
// against the records in the background. Dropped with the keys on lock; nothing here is written.
import { isCryptoError } from '../crypto/errors';
import { INDEX_AD } from './associated-data';
import { openJson } from './cipher';
import type { VaultContext } from './context';
import { loadIndex, metaOf, type EnvIndex, type IndexEntry } from './env-index';
import { byPathThenKey } from './order';
import type { IndexRecord } from './schema';
import { listSafesWithRecords } from './safes';
import type { ResolvedTarget } from './target';
import type { UnlockedKeys } from './session-keys';
import type { DamagedItem, SafeSummary, SearchHit, SearchResult } from './types';

/** One environment's secrets as a search sees them, in list order (path, then key). */
export interface EnvNames {
  target: ResolvedTarget;
  protected: boolean;
  revision: number;
  entries: IndexEntry[];
  /** Built on first use: a keystroke needs only the few it shows, not 100,000 objects. */
  hits: (SearchHit | undefined)[];
  /** Records of this environment that did not open: listed, never searched. */
  damaged: DamagedItem[];
  /** Lower-cased "key path tags" per entry, so a keystroke only scans strings. */
  haystacks: string[];
  /** Lower-cased "safe environment": a word found here matches every secret of the environment. */
  label: string;
  /**
   * The names match the secrets store (loadIndex): every listed secret has a record and every
   * record is listed. Until then they are the sealed index as stored, which search may answer from.
   */
  checked: boolean;
}

export interface NameCache {
  /** The vault's write count when the cache was last brought up to date. */
  writes: number;
  /** Every environment, in the order the popup shows safes and environments. */
  envs: Map<string, EnvNames>;
  /** The safe list these names were read with (listSafes' answer). */
  safes: SafeSummary[];
  /**
   * The last query's matching positions per environment (null: every secret), so a query typed on
   * scans only what the previous one matched. Cleared whenever the names change.
   */
  last?: { words: string[]; matches: Map<EnvNames, number[] | null> };
  /** Recent answers by query and environment on screen, so erasing what was typed costs no scan. */
  answers: Map<string, SearchResult>;
}

/**
 * Keyed by the unlocked keys: lock drops the keys, and with them every decrypted name; a new
 * unlock starts from nothing.
 */
const caches = new WeakMap<UnlockedKeys, Promise<NameCache>>();
/** The same caches once built, for a synchronous look. */
const built = new WeakMap<UnlockedKeys, NameCache>();
/** The background check under way for these keys, if any. */
const checks = new WeakMap<UnlockedKeys, Promise<void>>();

/** The secret at position `i` of an environment, built once. */
export function hitAt(env: EnvNames, i: number): SearchHit {
  let hit = env.hits[i];
  if (!hit) {
    const e = env.entries[i]!;
    const { safe, safeName, env: envRecord, envName } = env.target;
    hit = {
      ...metaOf(e),
      id: e.id,
      overridden: e.hasOverride && e.overrideActive,
      hasOverride: e.hasOverride,
      safeId: safe.id,
      safeName,
      envId: envRecord.id,
      envName,
      protected: env.protected,
    };
    env.hits[i] = hit;
  }
  return hit;
}

export function hitsOf(env: EnvNames): SearchHit[] {
  return env.entries.map((_, i) => hitAt(env, i));
}

/** The names in memory for these keys, if nothing was written since they were read. */
export function upToDate(ctx: VaultContext, keys: UnlockedKeys): NameCache | undefined {
  const cache = built.get(keys);
  return cache?.writes === ctx.writes.count ? cache : undefined;
}

/**
 * The cache for these keys, brought up to date when the vault was written since. Its names may not
 * be checked yet (search answers from them at once); the check starts in the background.
 */
export function namesOf(ctx: VaultContext, keys: UnlockedKeys): Promise<NameCache> {
  const cached = caches.get(keys);
  const next = (async () => {
    const previous = await cached?.catch(() => undefined);
    if (previous && previous.writes === ctx.writes.count) return previous;
    return refresh(ctx, keys, previous);
  })();
  // Concurrent searches share one refresh; a failed one is not kept.
  caches.set(keys, next);
  next.then(
    (cache) => {
      built.set(keys, cache);
      if ([...cache.envs.values()].some((e) => !e.checked)) void checkNames(ctx, keys).catch(() => undefined);
    },
    () => undefined,
  );
  next.catch(() => caches.get(keys) === next && caches.delete(keys));
  return next;
}

/** The cache once every environment's names were checked against the records (for fill, references, "used by"). */
export async function checkedNamesOf(ctx: VaultContext, keys: UnlockedKeys): Promise<NameCache> {
  for (let round = 0; ; round++) {
    const cache = await namesOf(ctx, keys);
    if (round >= 3 || [...cache.envs.values()].every((e) => e.checked)) return cache;
    await checkNames(ctx, keys);
  }
}

/**
 * Reads the safe list and every sealed index in one transaction each, and opens again only the
 * indexes whose revision changed (the first time, every one). An index that does not open, or has
 * none, is read from the records instead (loadIndex), so a damaged one is rebuilt, never trusted.
 */
async function refresh(ctx: VaultContext, keys: UnlockedKeys, previous: NameCache | undefined): Promise<NameCache> {
  const writes = ctx.writes.count;
  const [{ summaries: safes, safes: safeRecords, environments: envRecords }, indexes] = await Promise.all([
    listSafesWithRecords(ctx),
    ctx.db.getAll('indexes'),
  ]);
  const byEnv = new Map(indexes.map((i) => [i.envId, i]));
  // Every index is opened at once (WebCrypto works in parallel), then kept in the order the popup lists them.
  const pending: [string, EnvNames | Promise<EnvNames>][] = [];
  for (const safe of safes) {
    const safeRecord = safeRecords.find((s) => s.id === safe.id);
    if (safe.error || !safeRecord) continue; // a damaged safe is shown, with its error, by the safe list
    const safeKey = await keys.safeKey(safeRecord);
    for (const env of safe.environments) {
      const envRecord = envRecords.find((e) => e.id === env.id);
      if (env.error || !envRecord) continue;
      const record = byEnv.get(env.id);
      const known = previous?.envs.get(env.id);
      const target: ResolvedTarget = { safe: safeRecord, safeName: safe.name, safeKey, env: envRecord, envName: env.name };
      if (
        known &&
        known.revision === (record?.revision ?? -1) &&
        known.target.safeName === safe.name &&
        known.target.envName === env.name &&
        known.protected === env.protected
      ) {
        pending.push([env.id, known]);
        continue;
      }
      pending.push([env.id, openNames(ctx, target, env.protected, record)]);
    }
  }
  const loaded = await Promise.all(pending.map(([, names]) => names));
  const envs = new Map(pending.map(([envId], i) => [envId, loaded[i]!]));
  return { writes, envs, safes, answers: new Map() };
}

/** The environment's names from its sealed index as stored, or from its records when that does not open. */
async function openNames(ctx: VaultContext, target: ResolvedTarget, isProtected: boolean, record: IndexRecord | undefined) {
  if (record) {
    try {
      const entries = await openJson<IndexEntry[]>(target.safeKey, record.entries, INDEX_AD(target.env.id));
      if (Array.isArray(entries)) return namesFrom({ entries, damaged: [], revision: record.revision }, target, isProtected, false);
    } catch (error) {
      if (!isCryptoError(error) && !(error instanceof SyntaxError)) throw error;
    }
  }
  return namesFrom(await loadIndex(ctx, target), target, isProtected, true);
}

/** One environment's index as a search reads it: entries in list order, with their lower-cased text. */
function namesFrom(index: EnvIndex, target: ResolvedTarget, isProtected: boolean, checked: boolean): EnvNames {
  const entries = [...index.entries].sort(byPathThenKey);
  const haystacks = entries.map((e) => `${e.key}\n${e.path}\n${e.tags.join('\n')}`.toLowerCase());
  const label = `${target.safeName}\n${target.envName}`.toLowerCase();
  return {
    target,
    protected: isProtected,
    revision: index.revision,
    entries,
    hits: [],
    damaged: index.damaged,
    haystacks,
    label,
    checked,
  };
}

/** One check at a time per unlock, however many searches start it. */
function checkNames(ctx: VaultContext, keys: UnlockedKeys): Promise<void> {
  let running = checks.get(keys);
  if (!running) {
    running = checkAll(ctx, keys).finally(() => checks.delete(keys));
    checks.set(keys, running);
  }
  return running;
}

/**
 * The secrets store is the truth and each index a cache of it: every environment read from its
 * index alone is compared with its records (loadIndex, about 2 s of IndexedDB at 100,000 secrets
 * in Chromium, hence in the background), one after the other so the popup's own reads get their
 * turn. An environment that differs, or was written meanwhile, takes loadIndex's answer.
 */
async function checkAll(ctx: VaultContext, keys: UnlockedKeys): Promise<void> {
  for (;;) {
    if (ctx.keys.current !== keys) return; // locked: nothing more to check, nothing kept
    const cache = await namesOf(ctx, keys);
    const env = [...cache.envs.values()].find((e) => !e.checked);
    if (!env) return;
    const index = await loadIndex(ctx, env.target);
    const same =
      index.revision === env.revision &&
      index.damaged.length === 0 &&
      index.entries.length === env.entries.length &&
      sameIds(index.entries, env.entries);
    if (same) {
      env.checked = true;
      continue;
    }
    const checked = namesFrom(index, env.target, env.protected, true);
    env.checked = true; // this copy is settled; whichever cache holds it now takes the checked one
    const current = built.get(keys);
    if (current?.envs.get(env.target.env.id) === env) {
      current.envs.set(env.target.env.id, checked);
      current.answers.clear();
      current.last = undefined;
    }
  }
}

function sameIds(a: IndexEntry[], b: IndexEntry[]): boolean {
  const ids = new Set(b.map((e) => e.id));
  return a.every((e) => ids.has(e.id));
}
