// The encrypted per-environment name index: load (rebuilding from the records), look up, commit.
import { isCryptoError } from '../crypto/errors';
import { openJson, openText, sealJson } from './cipher';
import { INDEX_AD } from './associated-data';
import { secretAd } from './binding';
import { markNameClashes } from './name-clashes';
import { overrideItemId, queueDelete } from './outbox';
import type { VaultContext, WriteTx } from './context';
import { damagedError } from './damaged';
import { DAMAGED_MESSAGE, VaultError } from './errors';
import { RetrySignal } from './op-queue';
import type { StoreName } from './schema';
import type { ResolvedTarget } from './target';
import type { DamagedItem, SecretMeta } from './types';
import { checkKey, normalisePath } from './validate';
import { checkedRotation } from './rotation';
import { referencesIn } from './references';
import { msg } from '../i18n';
import { getSecretRecords } from './secret-records';
import { sealRemains } from './trash';
import { bulkWrites } from './bulk-writes';

/** One entry of an environment's encrypted name index: a secret's meta, copied so a list opens one ciphertext. */
export interface IndexEntry extends SecretMeta {
  id: string;
  hasOverride: boolean;
  overrideActive: boolean;
}

export interface EnvIndex {
  entries: IndexEntry[];
  damaged: DamagedItem[];
  revision: number;
}

export function metaOf(entry: SecretMeta): SecretMeta {
  const meta: SecretMeta = { key: entry.key, path: entry.path, tags: entry.tags, comment: entry.comment };
  if (entry.autofill?.length) meta.autofill = entry.autofill;
  if (entry.encryptionKey) meta.encryptionKey = true;
  if (entry.refs?.length) meta.refs = entry.refs;
  if (entry.rotation && (entry.rotation.due !== undefined || entry.rotation.everyDays !== undefined)) meta.rotation = entry.rotation;
  return meta;
}

/** An index entry from a secret's opened meta (checked field by field: it may come from a server), with its override flags. */
export function entryOf(id: string, meta: SecretMeta, previous?: Pick<IndexEntry, 'hasOverride' | 'overrideActive'>): IndexEntry {
  const entry: IndexEntry = {
    id,
    key: String(meta.key),
    path: String(meta.path),
    tags: Array.isArray(meta.tags) ? meta.tags.map(String) : [],
    comment: typeof meta.comment === 'string' ? meta.comment : '',
    hasOverride: previous?.hasOverride ?? false,
    overrideActive: previous?.overrideActive ?? false,
  };
  if (Array.isArray(meta.autofill) && meta.autofill.length > 0) entry.autofill = meta.autofill;
  if (meta.encryptionKey === true) entry.encryptionKey = true;
  if (Array.isArray(meta.refs) && meta.refs.length > 0) entry.refs = meta.refs.map(String);
  const rotation = checkedRotation(meta.rotation);
  if (rotation) entry.rotation = rotation;
  return entry;
}

export function samePathKey(entry: { path: string; key: string }, path: string, key: string): boolean {
  return entry.path === path && entry.key === key;
}

/**
 * The environment's names. The secrets store is the truth and the index a cache of it: entries
 * without a record are dropped, and records missing from the index (or all of them, if the index
 * itself fails to decrypt) are read one by one, so a damaged record only reports itself.
 */
export async function loadIndex(ctx: VaultContext, target: ResolvedTarget): Promise<EnvIndex> {
  const tx = ctx.db.transaction(['indexes', 'secrets']);
  const [record, ids] = await Promise.all([
    tx.objectStore('indexes').get(target.env.id),
    tx.objectStore('secrets').index('byEnv').getAllKeys(target.env.id),
  ]);
  await tx.done;
  let entries: IndexEntry[] = [];
  if (record) {
    try {
      entries = await openJson<IndexEntry[]>(target.safeKey, record.entries, INDEX_AD(target.env.id));
    } catch (error) {
      if (!isCryptoError(error) && !(error instanceof SyntaxError)) throw error;
      entries = [];
    }
  }
  const present = new Set(ids);
  entries = entries.filter((e) => present.has(e.id));
  const indexed = new Set(entries.map((e) => e.id));
  const missing = ids.filter((id) => !indexed.has(id));
  const damaged: DamagedItem[] = [];
  if (missing.length > 0) {
    const rtx = ctx.db.transaction(['secrets', 'overrides']);
    const rows = await Promise.all(
      missing.map((id) => Promise.all([rtx.objectStore('secrets').get(id), rtx.objectStore('overrides').get(id)])),
    );
    await rtx.done;
    for (const [secret, override] of rows) {
      if (!secret) continue;
      try {
        const meta = await openJson<SecretMeta>(target.safeKey, secret.meta, secretAd(secret, 'meta'));
        const entry = entryOf(secret.id, meta, { hasOverride: override !== undefined, overrideActive: override?.active === true });
        // A meta sealed before references existed lists none; its value says which it holds, so an
        // index rebuilt here keeps "used by" whole (upgrade.ts, indexOlderReferences, did the same once).
        if (!entry.refs) {
          const refs = referencesIn(await openText(target.safeKey, secret.value, secretAd(secret, 'value')).catch(() => ''));
          if (refs.length > 0) entry.refs = refs;
        }
        entries.push(entry);
      } catch {
        damaged.push({ id: secret.id, error: DAMAGED_MESSAGE });
      }
    }
  }
  return { entries, damaged, revision: record?.revision ?? -1 };
}

/**
 * Seals the new index first (no crypto may run inside an IndexedDB transaction: the transaction
 * would auto-commit while awaiting it), then writes the index and the records together, and keeps
 * the marks of names held twice (name-clashes.ts) in step with it.
 */
export async function commitIndex(
  ctx: VaultContext,
  target: ResolvedTarget,
  index: EnvIndex,
  entries: IndexEntry[],
  stores: StoreName[],
  writes: (tx: WriteTx) => Promise<unknown>[],
): Promise<void> {
  const sealed = await sealJson(target.safeKey, entries, INDEX_AD(target.env.id));
  const tx = ctx.db.transaction([...new Set<StoreName>(['indexes', 'conflicts', ...stores])], 'readwrite') as WriteTx;
  const current = await tx.objectStore('indexes').get(target.env.id);
  if ((current?.revision ?? -1) !== index.revision) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new RetrySignal();
  }
  await Promise.all([
    ...writes(bulkWrites(tx)),
    markNameClashes(tx, { safeId: target.safe.id, envId: target.env.id }, entries, ctx.now()),
    tx.objectStore('indexes').put({
      envId: target.env.id,
      safeId: target.safe.id,
      revision: index.revision + 1,
      entries: sealed,
    }),
  ]);
  await tx.done;
}

/**
 * Deletes secrets and their overrides, queuing a tombstone for each. Each deletion is sealed here
 * with the secret's last version and history inside, and kept in Recently deleted (trash.ts).
 */
export async function removeSecrets(ctx: VaultContext, target: ResolvedTarget, index: EnvIndex, ids: string[]): Promise<void> {
  const gone = new Set(ids);
  const now = ctx.now();
  const records = await getSecretRecords(ctx, ids);
  const sealed = await Promise.all(records.map((r) => r && sealRemains(target, r, now)));
  await commitIndex(
    ctx,
    target,
    index,
    index.entries.filter((e) => !gone.has(e.id)),
    ['secrets', 'overrides', 'outbox', 'conflicts', 'trash'],
    (tx) =>
      ids.flatMap((id, i) => {
        const s = sealed[i];
        return s ? [deleteWithTombstones(tx, id, s.sealed), tx.objectStore('trash').put(s.trash)] : [deleteWithTombstones(tx, id)];
      }),
  );
}

/**
 * Inside a write transaction (with the conflicts store): one secret and its override gone, their
 * tombstones queued. A conflict over it goes too: if the other device's edit is newer, the server
 * refuses the tombstone with that edit, which then comes back (an edit beats a deletion).
 */
export async function deleteWithTombstones(tx: WriteTx, id: string, sealed?: string): Promise<void> {
  const [secret, override] = await Promise.all([tx.objectStore('secrets').get(id), tx.objectStore('overrides').get(id)]);
  await Promise.all([
    tx.objectStore('secrets').delete(id),
    tx.objectStore('overrides').delete(id),
    tx.objectStore('conflicts').delete(id),
    tx.objectStore('conflicts').delete(overrideItemId(id)),
    secret && queueDelete(tx, 'secret', secret, sealed),
    override && queueDelete(tx, 'override', override),
  ]);
}

export function findEntry(
  index: EnvIndex,
  target: ResolvedTarget,
  id: string | undefined,
  key: string | undefined,
  secretPath: string | undefined,
  keyField: string,
): IndexEntry {
  if (id !== undefined) {
    const entry = index.entries.find((e) => e.id === id);
    if (entry) return entry;
    if (index.damaged.some((d) => d.id === id)) throw damagedError();
    throw new VaultError('not_found', msg('errNotInEnv', target.envName), { field: 'id' });
  }
  const wanted = checkKey(key, keyField);
  const path = normalisePath(secretPath);
  const entry = index.entries.find((e) => samePathKey(e, path, wanted));
  if (!entry) {
    throw new VaultError('not_found', msg('errNoSecretNamed', wanted, path, target.envName), { field: keyField });
  }
  return entry;
}
