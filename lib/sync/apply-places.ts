// The sync server's safes and environments taken into the vault: each is kept only if its name (and
// an environment's sealed flags) opens with the binding of the place it claims. Renamed here and
// there at once, this device's name wins and is sent above the server's version (docs/architecture.md,
// "Sync": names are the user's own, not secrets, so the last writer wins).
import { SAFE_KEY_USAGES, sealJson } from '../vault/cipher';
import { unwrapAesKey } from '../crypto/key-wrap';
import { INDEX_AD, SAFE_KEY_AD } from '../vault/associated-data';
import type { VaultContext, WriteTx } from '../vault/context';
import { VaultError } from '../vault/errors';
import { openName } from '../vault/names';
import { resealEnvironment, resealSafe } from './reseal';
import { openFlags } from '../vault/safe-records';
import { removeSafeRecords, SAFE_STORES } from '../vault/safes';
import type { EnvironmentRecord, ServerItem } from '../vault/schema';
import type { UnlockedKeys } from '../vault/session-keys';
import { alreadyHave, compareVersions, opens, resurrected, sameCipher, type Outcome, type Waiting } from './apply-rules';
import { environmentFromItem, safeFromItem } from './items';
import { noteGone, openDeletion } from './deletions';

/** A safe: its key never changes, and its name must open with it. */
export async function applySafe(ctx: VaultContext, keys: UnlockedKeys, item: ServerItem, waiting: Waiting): Promise<Outcome> {
  const { pending } = waiting;
  const local = await ctx.db.get('safes', item.id);
  if (alreadyHave(local, item)) return 'same';
  if (item.deleted) {
    if (!local) return 'applied';
    const key = await keys.safeKey(local).catch((error: unknown) => {
      if (error instanceof VaultError) return undefined;
      throw error;
    });
    const deletion = key && (await openDeletion(key, { kind: 'safe', safeId: local.id, id: local.id }, item));
    if (!deletion) return 'does_not_open'; // a deletion no device of the account made
    if (compareVersions(local, deletion, false) === 'older') return 'older_version';
    await dropSafe(ctx, keys, item.id, deletion.ver);
    return 'applied';
  }
  const org = (await ctx.db.getAll('orgs'))[0];
  const incoming = safeFromItem(item, local?.orgId ?? org?.id ?? '');
  if (local && !sameCipher(local.wrappedKey, incoming.wrappedKey)) return 'does_not_open'; // a safe's key never changes
  if (!local && resurrected(waiting, item.id, incoming.ver)) return 'older_version';
  let safeKey: CryptoKey;
  try {
    safeKey = local
      ? await keys.safeKey(local)
      : await unwrapAesKey(keys.vaultKey, incoming.wrappedKey, SAFE_KEY_AD(incoming.id), { usages: SAFE_KEY_USAGES });
  } catch {
    return 'does_not_open';
  }
  if (!(await opens(openName('safe', safeKey, incoming)))) return 'does_not_open';
  const order = compareVersions(local, incoming, local !== undefined && sameCipher(local.name, incoming.name));
  if (order === 'older') return 'older_version';
  if (pending.has(item.id) && local) {
    // Renamed here too: this device's name wins and is sent on the next push, above the server's version.
    const ver = Math.max(local.ver ?? 0, incoming.ver ?? 0) + 1;
    await ctx.db.put('safes', { ...(await resealSafe(safeKey, local, ver)), rev: item.revision, seen: incoming.ver });
    return 'same';
  }
  await ctx.db.put('safes', { ...incoming, createdAt: local?.createdAt ?? incoming.createdAt });
  return order === 'same' ? 'same' : 'applied';
}

/** Removes a safe the server deleted, with everything in it (no tombstones: the server already knows). */
export async function dropSafe(ctx: VaultContext, keys: UnlockedKeys, id: string, goneVer?: number): Promise<void> {
  const tx = ctx.db.transaction([...SAFE_STORES, 'sync'], 'readwrite') as WriteTx;
  await removeSafeRecords(tx, id);
  if (goneVer !== undefined) await noteGone(tx, { [id]: goneVer });
  await tx.done;
  keys.forgetSafe(id);
}

/** An environment: inside the safe it names (or waiting for it), its name and flags opening there. */
export async function applyEnvironment(ctx: VaultContext, keys: UnlockedKeys, item: ServerItem, waiting: Waiting): Promise<Outcome> {
  const { pending } = waiting;
  const local = await ctx.db.get('environments', item.id);
  if (alreadyHave(local, item)) return 'same';
  if (item.deleted) {
    if (!local) return 'applied';
    const safe = await ctx.db.get('safes', local.safeId);
    const key =
      safe &&
      (await keys.safeKey(safe).catch((error: unknown) => {
        if (error instanceof VaultError) return undefined;
        throw error;
      }));
    const deletion = key && (await openDeletion(key, { kind: 'environment', safeId: local.safeId, id: local.id }, item));
    if (!deletion) return 'does_not_open'; // a deletion no device of the account made
    if (compareVersions(local, deletion, false) === 'older') return 'older_version';
    await dropEnvironment(ctx, item.id, deletion.ver);
    return 'applied';
  }
  const shape = environmentFromItem(item);
  if (local && local.safeId !== shape.safeId) return 'does_not_open'; // moved to another safe
  if (!local && resurrected(waiting, item.id, shape.ver)) return 'older_version';
  const safe = await ctx.db.get('safes', shape.safeId);
  if (!safe) return 'deferred';
  let safeKey: CryptoKey;
  try {
    safeKey = await keys.safeKey(safe);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    return 'does_not_open';
  }
  const probe: EnvironmentRecord = { ...shape, protected: false, position: 0 };
  let flags: Awaited<ReturnType<typeof openFlags>>;
  try {
    await openName('environment', safeKey, probe);
    flags = await openFlags(safeKey, probe);
  } catch {
    return 'does_not_open';
  }
  const incoming: EnvironmentRecord = { ...shape, ...flags };
  const same = local !== undefined && sameCipher(local.name, incoming.name) && !!local.flags && sameCipher(local.flags, incoming.flags!);
  const order = compareVersions(local, incoming, same);
  if (order === 'older') return 'older_version';
  if (pending.has(item.id) && local) {
    const ver = Math.max(local.ver ?? 0, incoming.ver ?? 0) + 1;
    await ctx.db.put('environments', { ...(await resealEnvironment(safeKey, local, ver)), rev: item.revision, seen: incoming.ver });
    return 'same';
  }
  const tx = ctx.db.transaction(['environments', 'indexes'], 'readwrite');
  const index = await tx.objectStore('indexes').get(item.id);
  await tx.objectStore('environments').put(incoming);
  await tx.done;
  if (!index) {
    await ctx.db.put('indexes', {
      envId: item.id,
      safeId: shape.safeId,
      revision: 0,
      entries: await sealJson(safeKey, [], INDEX_AD(item.id)),
    });
  }
  return order === 'same' ? 'same' : 'applied';
}

/** Removes an environment the server deleted, with its secrets, overrides, conflicts and pending changes. */
export async function dropEnvironment(ctx: VaultContext, envId: string, goneVer?: number): Promise<void> {
  const tx = ctx.db.transaction(['environments', 'secrets', 'indexes', 'overrides', 'outbox', 'conflicts', 'sync'], 'readwrite') as WriteTx;
  if (goneVer !== undefined) await noteGone(tx, { [envId]: goneVer });
  const [secretIds, overrideIds, conflictIds] = await Promise.all([
    tx.objectStore('secrets').index('byEnv').getAllKeys(envId),
    tx.objectStore('overrides').index('byEnv').getAllKeys(envId),
    tx.objectStore('conflicts').index('byEnv').getAllKeys(envId),
  ]);
  await Promise.all([
    tx.objectStore('environments').delete(envId),
    tx.objectStore('indexes').delete(envId),
    tx.objectStore('outbox').delete(envId),
    ...secretIds.flatMap((k) => [tx.objectStore('secrets').delete(k), tx.objectStore('outbox').delete(k)]),
    ...conflictIds.map((k) => tx.objectStore('conflicts').delete(k)),
    ...overrideIds.map((k) => tx.objectStore('overrides').delete(k)),
  ]);
  await tx.done;
}
