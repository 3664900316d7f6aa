// Recently deleted: a secret deleted one by one can be brought back for 30 days, on every device.
// Its last version and history travel inside its deletion's seal (deletion-seal.ts): sealed with
// the safe key and bound to the secret's kind, safe, id and the deletion's version, so only a
// device of the account made it and a server cannot move it onto another secret. Bringing one back
// is a new version above the deletion, so every device takes it as newer than the deletion, while
// a copy the server kept from before the deletion stays refused (the `gone` log). Deleting one
// forever is a deletion above it with nothing inside: every device drops it from Recently deleted,
// and the server drops the versions it kept, freeing the account's storage.
import { nextVer } from './binding';
import { openJson } from './cipher';
import { secretAd } from './binding';
import type { VaultContext, WriteTx } from './context';
import { damagedError, orDamaged } from './damaged';
import { commitIndex, entryOf, loadIndex, metaOf, samePathKey } from './env-index';
import { DAMAGED_MESSAGE, VaultError } from './errors';
import { type HistoryEntry, openHistory } from './history';
import { queueErase, queuePut } from './outbox';
import type { SecretRecord, TrashRecord } from './schema';
import { openValue, type SealedMeta, sealSecret, toSecret } from './secret-records';
import { authorOf } from './settings-store';
import { unlocked } from './session-keys';
import { cipherFromWire } from './cipher-wire';
import { type DeletionPlace, type DeletionSeal, deletionAd, sealDeletion, sealDeletionWith } from './deletion-seal';
import { resolve, type ResolvedTarget } from './target';
import type { DamagedItem, DeletedSecret, Secret, SecretMeta } from './types';
import { msg } from '../i18n';

/** How long a deleted secret can be brought back. */
export const TRASH_DAYS = 30;
const TRASH_MS = TRASH_DAYS * 24 * 60 * 60 * 1000;

/** What a secret's deletion seals besides its time: the version deleted, and the ones before it. */
export interface Remains {
  envId: string;
  ver: number;
  meta: SecretMeta;
  value: string;
  history: HistoryEntry[];
}

/**
 * A secret's deletion, sealed before the write that deletes it (no crypto may run inside an
 * IndexedDB transaction): its version (the one queueDelete gives it, above every one seen) and its
 * `gone` field holding the remains. Undefined when the secret no longer opens: it is then deleted
 * for good, as before, and its deletion sealed as it leaves.
 */
export async function sealRemains(
  target: ResolvedTarget,
  record: SecretRecord,
  at: number,
): Promise<{ trash: TrashRecord; sealed: string } | undefined> {
  try {
    const [meta, value, history] = await Promise.all([
      orDamaged(openJson<SealedMeta>(target.safeKey, record.meta, secretAd(record, 'meta'))),
      openValue(target.safeKey, record),
      openHistory(target.safeKey, record).then(
        (h) => h.entries,
        () => [],
      ),
    ]);
    const ver = nextVer(record, record.seen);
    const remains: Remains = { envId: record.envId, ver: record.ver ?? 0, meta: metaOf(meta), value, history };
    const place: DeletionPlace = { kind: 'secret', safeId: record.safeId, id: record.id };
    const sealed = await sealDeletionWith(target.safeKey, place, ver, { at, remains });
    return {
      sealed,
      trash: {
        id: record.id,
        safeId: record.safeId,
        envId: record.envId,
        ver,
        at,
        sealed,
        ...(record.rev === undefined ? {} : { rev: record.rev }),
      },
    };
  } catch (error) {
    if (error instanceof VaultError && error.code === 'damaged') return undefined;
    throw error;
  }
}

async function openRemains(safeKey: CryptoKey, t: TrashRecord): Promise<Remains> {
  const place: DeletionPlace = { kind: 'secret', safeId: t.safeId, id: t.id };
  const seal = await orDamaged(openJson<DeletionSeal>(safeKey, cipherFromWire(t.sealed), deletionAd(place, t.ver)));
  const r = seal.remains;
  // The environment sealed inside is the truth: the clear copy only sorts the store.
  if (!r || typeof r.value !== 'string' || r.envId !== t.envId || typeof r.meta?.key !== 'string') throw damagedError();
  return { ...r, meta: metaOf(entryOf(t.id, r.meta)), history: Array.isArray(r.history) ? r.history : [] };
}

/** Deletions older than 30 days are forgotten here; the server drops its tombstones on its own schedule. */
async function liveTrash(ctx: VaultContext): Promise<TrashRecord[]> {
  const all = await ctx.db.getAll('trash');
  const horizon = ctx.now() - TRASH_MS;
  const old = all.filter((t) => t.at < horizon);
  if (old.length > 0) {
    const tx = ctx.db.transaction('trash', 'readwrite');
    await Promise.all([...old.map((t) => tx.store.delete(t.id)), tx.done]);
  }
  return all.filter((t) => t.at >= horizon);
}

/** Secrets deleted in the last 30 days, newest first, with where they were; one that does not open is listed as damaged. */
export async function recentlyDeleted(ctx: VaultContext): Promise<(DeletedSecret | DamagedItem)[]> {
  const keys = await unlocked(ctx);
  const trash = (await liveTrash(ctx)).sort((a, b) => b.at - a.at);
  const out = await Promise.all(
    trash.map(async (t): Promise<DeletedSecret | DamagedItem | undefined> => {
      let target: ResolvedTarget;
      try {
        target = await resolve(ctx, keys, { safeId: t.safeId, envId: t.envId });
      } catch (error) {
        // Its safe or environment was deleted since: nowhere to bring it back to.
        if (error instanceof VaultError && error.code === 'not_found') return undefined;
        if (error instanceof VaultError && error.code === 'damaged') return { id: t.id, error: DAMAGED_MESSAGE };
        throw error;
      }
      try {
        const r = await openRemains(target.safeKey, t);
        return {
          id: t.id,
          key: r.meta.key,
          path: r.meta.path,
          safeId: t.safeId,
          safeName: target.safeName,
          envId: t.envId,
          envName: target.envName,
          deletedAt: t.at,
        };
      } catch (error) {
        if (error instanceof VaultError && error.code === 'damaged') return { id: t.id, error: DAMAGED_MESSAGE };
        throw error;
      }
    }),
  );
  return out.filter((x) => x !== undefined);
}

/**
 * Brings a deleted secret back where it was, as a new version above its deletion, with the history
 * it had. Refused when another secret now holds its name there (rename that one first).
 */
export async function restoreDeleted(ctx: VaultContext, id: string): Promise<Secret> {
  const keys = await unlocked(ctx);
  const t = (await liveTrash(ctx)).find((x) => x.id === id);
  if (!t || (await ctx.db.get('secrets', id))) throw new VaultError('not_found', msg('errNotInTrash'));
  const target = await resolve(ctx, keys, { safeId: t.safeId, envId: t.envId });
  const remains = await openRemains(target.safeKey, t);
  const index = await loadIndex(ctx, target);
  if (index.entries.some((e) => samePathKey(e, remains.meta.path, remains.meta.key))) {
    throw new VaultError('duplicate', msg('errSecretExists', remains.meta.key, remains.meta.path, target.envName), { field: 'key' });
  }
  // A personal override of it that outlived the deletion here (it came from another device after
  // the deletion was made) shows again with it, as on the devices that take the secret back.
  const override = await ctx.db.get('overrides', id);
  const entry = { ...entryOf(id, remains.meta, override && { hasOverride: true, overrideActive: override.active }), id };
  // Above the deletion (every device that saw it took note of its version), based on the server
  // revision last known: a push that meets a newer tombstone is based on it then (lib/sync/outbound.ts).
  const record = await sealSecret(target, entry, remains.value, ctx.now(), nextVer({ ver: t.ver }), undefined, {
    by: await authorOf(ctx),
    history: remains.history,
  });
  if (t.rev !== undefined) record.rev = t.rev;
  await commitIndex(ctx, target, index, [...index.entries, entry], ['secrets', 'outbox', 'trash'], (tx) => [
    tx.objectStore('secrets').put(record),
    queuePut(tx, 'secret', record),
    tx.objectStore('trash').delete(id),
  ]);
  return toSecret(entry, remains.value, false);
}

/**
 * Deletes a secret in Recently deleted for good, on every device: a deletion above the one listed,
 * sealed without remains (so it can no longer be brought back), and the versions the server kept of
 * it go too. Refused when it is not listed here (brought back, or past 30 days).
 */
export async function deleteForever(ctx: VaultContext, id: string): Promise<void> {
  const keys = await unlocked(ctx);
  const t = (await liveTrash(ctx)).find((x) => x.id === id);
  if (!t || (await ctx.db.get('secrets', id))) throw new VaultError('not_found', msg('errNotInTrash'));
  const target = await resolve(ctx, keys, { safeId: t.safeId, envId: t.envId });
  const ver = nextVer({ ver: t.ver });
  const sealed = await sealDeletion(target.safeKey, { kind: 'secret', safeId: t.safeId, id }, ver, ctx.now());
  const tx = ctx.db.transaction(['trash', 'secrets', 'outbox'], 'readwrite') as WriteTx;
  // Brought back on another device meanwhile (its copy arrived since the check above): left as it is.
  if (!(await tx.objectStore('trash').get(id)) || (await tx.objectStore('secrets').get(id))) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('not_found', msg('errNotInTrash'));
  }
  await Promise.all([tx.objectStore('trash').delete(id), queueErase(tx, t, ver, sealed), tx.done]);
}
