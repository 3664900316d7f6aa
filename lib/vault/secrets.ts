// Secrets in one environment: list names, reveal, and the Phase-style create, get and delete.
import { newId, type VaultContext } from './context';
import { commitIndex, findEntry, loadIndex, metaOf, removeSecrets, samePathKey, type IndexEntry } from './env-index';
import { DAMAGED_MESSAGE, invalid, VaultError } from './errors';
import { queuePut, recordKey } from './outbox';
import { readValue, sealSecret, toSecret } from './secret-records';
import { unlocked } from './session-keys';
import { cachedList } from './search';
import { resolve } from './target';
import type {
  CreateOptions,
  DamagedItem,
  DeleteOptions,
  GetOptions,
  GetResult,
  KeyValuePairs,
  NewSecret,
  Secret,
  SecretSummary,
} from './types';
import { checkComment, checkEncryptionKey, checkKey, checkTags, checkValue, normalisePath, pathFilter } from './validate';
import { msg } from '../i18n';
import { checkSites } from '../autofill/sites';
import { isNameClash } from './name-clashes';
import { localDay } from './rotation';
import { checkRotation } from './secret-update';
import { authorOf } from './settings-store';
import type { Rotation } from './types';

// Listing and revealing (the popup's fast path: names from the index, values on demand)

/** Names only, from the environment's encrypted index; a record that fails to open is listed as damaged. */
export async function listSecrets(ctx: VaultContext, safeId: string, envId: string): Promise<(SecretSummary | DamagedItem)[]> {
  const keys = await unlocked(ctx);
  // Secrets changed here and on another device are marked, so the list shows which need a choice.
  const conflicted = new Set(
    (await ctx.db.getAllFromIndex('conflicts', 'byEnv', envId)).flatMap((c) =>
      isNameClash(c) ? [c.secretId, c.other] : [recordKey(c.id)],
    ),
  );
  const mark = (list: (SecretSummary | DamagedItem)[]) =>
    conflicted.size === 0 ? list : list.map((s) => (conflicted.has(s.id) && !('error' in s) ? { ...s, conflict: true } : s));
  const cached = cachedList(ctx, keys, safeId, envId);
  if (cached) return mark(cached);
  const target = await resolve(ctx, keys, { safeId, envId });
  const index = await loadIndex(ctx, target);
  const items: SecretSummary[] = index.entries.map((e) => ({
    ...metaOf(e),
    id: e.id,
    overridden: e.hasOverride && e.overrideActive,
    hasOverride: e.hasOverride,
  }));
  return mark([...items, ...index.damaged]);
}

/** The value a read returns: the personal override while active, else the shared value. */
export async function revealSecret(ctx: VaultContext, id: string): Promise<{ value: string; overridden: boolean }> {
  const keys = await unlocked(ctx);
  const tx = ctx.db.transaction(['secrets', 'overrides', 'safes']);
  const record = await tx.objectStore('secrets').get(id);
  const [override, safe] = record
    ? await Promise.all([tx.objectStore('overrides').get(id), tx.objectStore('safes').get(record.safeId)])
    : [undefined, undefined];
  await tx.done;
  if (!record || !safe) throw new VaultError('not_found', msg('errSecretGone'));
  return readValue(keys, await keys.safeKey(safe), record, override);
}

// Phase-style operations

/** Creates all the given secrets in one transaction, or none (duplicates are an error). */
export async function create(ctx: VaultContext, o: CreateOptions): Promise<Secret[]> {
  const path = normalisePath(o.secretPath);
  const pairs = normalisePairs(o.keyValuePairs, localDay(new Date(ctx.now())));
  const keys = await unlocked(ctx);
  const target = await resolve(ctx, keys, o);
  const index = await loadIndex(ctx, target);
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (seen.has(pair.key) || index.entries.some((e) => samePathKey(e, path, pair.key))) {
      throw new VaultError('duplicate', msg('errSecretExists', pair.key, path, target.envName), { field: 'key' });
    }
    seen.add(pair.key);
  }
  const now = ctx.now();
  const by = await authorOf(ctx);
  const created = await Promise.all(
    pairs.map(async (pair) => {
      const entry: IndexEntry = {
        id: newId(),
        key: pair.key,
        path,
        tags: pair.tags,
        comment: pair.comment,
        ...(pair.autofill.length > 0 ? { autofill: pair.autofill } : {}),
        ...(pair.encryptionKey ? { encryptionKey: true } : {}),
        ...(pair.rotation ? { rotation: pair.rotation } : {}),
        hasOverride: false,
        overrideActive: false,
      };
      return { entry, record: await sealSecret(target, entry, pair.value, now, 1, undefined, { by }), value: pair.value };
    }),
  );
  await commitIndex(ctx, target, index, [...index.entries, ...created.map((c) => c.entry)], ['secrets', 'outbox'], (tx) =>
    created.flatMap((c) => [tx.objectStore('secrets').put(c.record), queuePut(tx, 'secret', c.record)]),
  );
  return created.map((c) => toSecret(c.entry, c.value, false));
}

/**
 * All secrets of an environment (optionally one path, one tag), or with `keyToFind` at most one.
 * Records that fail to decrypt are left out and listed in the result's `damaged` property.
 */
export async function get(ctx: VaultContext, o: GetOptions): Promise<GetResult> {
  const keys = await unlocked(ctx);
  const target = await resolve(ctx, keys, o);
  const path = pathFilter(o.secretPath);
  const tag = o.tag?.trim().toLowerCase() || null;
  const index = await loadIndex(ctx, target);
  let matches = index.entries.filter(
    (e) => (path === null || e.path === path) && (tag === null || e.tags.some((t) => t.toLowerCase() === tag)),
  );
  if (o.keyToFind !== undefined) {
    const key = checkKey(o.keyToFind, 'keyToFind');
    matches = matches
      .filter((e) => e.key === key)
      .sort((a, b) => (a.path === '/' ? -1 : b.path === '/' ? 1 : a.path.localeCompare(b.path)))
      .slice(0, 1);
  }
  const tx = ctx.db.transaction(['secrets', 'overrides']);
  const rows = await Promise.all(
    matches.map((e) =>
      Promise.all([tx.objectStore('secrets').get(e.id), e.hasOverride ? tx.objectStore('overrides').get(e.id) : undefined]),
    ),
  );
  await tx.done;
  const result: GetResult = [];
  const damaged: DamagedItem[] = [...(o.keyToFind === undefined ? index.damaged : [])];
  await Promise.all(
    matches.map(async (entry, i) => {
      const [record, override] = rows[i] ?? [];
      if (!record) return;
      try {
        const { value, overridden } = await readValue(keys, target.safeKey, record, override);
        result[i] = toSecret(entry, value, overridden);
      } catch (error) {
        // Asked for one secret by key: its damage is the answer, not an empty list.
        if (!(error instanceof VaultError && error.code === 'damaged') || o.keyToFind !== undefined) throw error;
        damaged.push({ id: entry.id, error: DAMAGED_MESSAGE });
      }
    }),
  );
  const list: GetResult = result.filter((s) => s !== undefined);
  if (damaged.length > 0) list.damaged = damaged;
  return list;
}

/** Deletes one secret by key and path (Phase's keyToDelete), or by id. */
async function deleteSecret(ctx: VaultContext, o: DeleteOptions): Promise<void> {
  const keys = await unlocked(ctx);
  const target = await resolve(ctx, keys, o);
  const index = await loadIndex(ctx, target);
  const entry = findEntry(index, target, o.id, o.keyToDelete, o.secretPath, 'keyToDelete');
  await removeSecrets(ctx, target, index, [entry.id]);
}

// `delete` is a keyword, so the Phase operation is declared under another name and exported as `delete`.
export { deleteSecret as delete };

/** Deletes one secret by id, including one that no longer decrypts. */
export async function deleteById(ctx: VaultContext, id: string): Promise<void> {
  const keys = await unlocked(ctx);
  const record = await ctx.db.get('secrets', id);
  if (!record) throw new VaultError('not_found', msg('errSecretGone'));
  const target = await resolve(ctx, keys, { safeId: record.safeId, envId: record.envId });
  await removeSecrets(ctx, target, await loadIndex(ctx, target), [id]);
}

type Pair = Omit<Required<NewSecret>, 'rotation'> & { rotation: Rotation | undefined };

function normalisePairs(input: KeyValuePairs, today: string): Pair[] {
  const out: Pair[] = [];
  const add = (
    key: unknown,
    value: unknown,
    tags: unknown,
    comment: unknown,
    at: string,
    autofill?: unknown,
    encryptionKey?: unknown,
    rotation?: unknown,
  ) => {
    const pair: Pair = {
      key: checkKey(key, `${at}.key`),
      value: checkValue(value, `${at}.value`),
      tags: checkTags(tags, `${at}.tags`),
      comment: checkComment(comment, `${at}.comment`),
      autofill: checkSites(autofill, `${at}.autofill`),
      encryptionKey: encryptionKey === true,
      rotation: rotation === undefined ? undefined : checkRotation(rotation, today),
    };
    if (pair.encryptionKey) checkEncryptionKey(pair.value, `${at}.value`);
    out.push(pair);
  };
  if (Array.isArray(input)) {
    input.forEach((item: unknown, i) => {
      const at = `keyValuePairs[${i}]`;
      if (item === null || typeof item !== 'object') throw invalid(at, 'errPairShape');
      const fields = item as Record<string, unknown>;
      if ('key' in fields)
        add(fields.key, fields.value ?? '', fields.tags, fields.comment, at, fields.autofill, fields.encryptionKey, fields.rotation);
      else {
        const pairs = Object.entries(fields);
        if (pairs.length !== 1) throw invalid(at, 'errPairShapeOrObject');
        add(pairs[0]![0], pairs[0]![1], undefined, undefined, at);
      }
    });
  } else if (input !== null && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) add(key, value, undefined, undefined, `keyValuePairs.${key}`);
  } else {
    throw invalid('keyValuePairs', 'errPairsList');
  }
  if (out.length === 0) throw invalid('keyValuePairs', 'errPairsEmpty');
  return out;
}
