// Safes and their environments: list, create, rename or update, delete.
import { nextVer } from './binding';
import type { VaultContext, WriteTx } from './context';
import { deleteWithTombstones } from './env-index';
import { messageOf } from './damaged';
import { VaultError } from './errors';
import { readAccount } from './lifecycle';
import { queueDelete, queuePut } from './outbox';
import { sealDeletion } from './deletion-seal';
import { buildEnvironment, buildSafe, openFlags, putSafe, sealFlags } from './safe-records';
import { findByName, openName, sealName } from './names';
import type { EnvironmentRecord, SafeRecord, StoreName } from './schema';
import { unlocked, type UnlockedKeys } from './session-keys';
import type { EnvironmentSummary, SafeSummary } from './types';
import { checkName } from './validate';
import { msg } from '../i18n';

export async function listSafes(ctx: VaultContext): Promise<SafeSummary[]> {
  return (await listSafesWithRecords(ctx)).summaries;
}

/** The safe list, and the records it was read from (for callers that go on to open what is inside). */
export async function listSafesWithRecords(
  ctx: VaultContext,
): Promise<{ summaries: SafeSummary[]; safes: SafeRecord[]; environments: EnvironmentRecord[] }> {
  const keys = await unlocked(ctx);
  const tx = ctx.db.transaction(['safes', 'environments']);
  const [safes, envs] = await Promise.all([tx.objectStore('safes').getAll(), tx.objectStore('environments').getAll()]);
  await tx.done;
  safes.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const summaries = await Promise.all(
    safes.map(async (safe): Promise<SafeSummary> => {
      try {
        const safeKey = await keys.safeKey(safe);
        const name = await openName('safe', safeKey, safe);
        const environments = await Promise.all(
          envs
            .filter((env) => env.safeId === safe.id)
            .sort((a, b) => a.position - b.position)
            .map(async (env): Promise<EnvironmentSummary> => {
              try {
                const envName = await openName('environment', safeKey, env);
                return { id: env.id, name: envName, protected: env.protected };
              } catch (error) {
                return { id: env.id, name: '', protected: env.protected, error: messageOf(error) };
              }
            }),
        );
        return { id: safe.id, name, environments };
      } catch (error) {
        return { id: safe.id, name: '', environments: [], error: messageOf(error) };
      }
    }),
  );
  return { summaries, safes, environments: envs };
}

export async function createSafe(ctx: VaultContext, name: string): Promise<{ id: string }> {
  const safeName = checkName(name, 'Safe');
  const keys = await unlocked(ctx);
  await checkSafeNameFree(ctx, keys, safeName);
  const account = await readAccount(ctx);
  const org = (await ctx.db.getAll('orgs'))[0];
  const safe = await buildSafe(ctx, keys.vaultKey, org?.id ?? account.id, safeName);
  const tx = ctx.db.transaction(['safes', 'environments', 'indexes', 'outbox'], 'readwrite');
  await Promise.all(putSafe(tx, safe));
  await tx.done;
  return { id: safe.record.id };
}

export async function renameSafe(ctx: VaultContext, id: string, name: string): Promise<void> {
  const safeName = checkName(name, 'Safe');
  const keys = await unlocked(ctx);
  const safe = await safeById(ctx, id);
  await checkSafeNameFree(ctx, keys, safeName, id);
  const ver = nextVer(safe);
  const sealed = await sealName('safe', await keys.safeKey(safe), { id, ver }, safeName);
  const tx = ctx.db.transaction(['safes', 'outbox'], 'readwrite');
  const current = await tx.objectStore('safes').get(id);
  if (!current || current.ver !== safe.ver) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('not_found', msg('errSafeGone'));
  }
  const next: SafeRecord = { ...current, name: sealed, ver };
  await Promise.all([tx.objectStore('safes').put(next), queuePut(tx, 'safe', next)]);
  await tx.done;
}

/**
 * Deletes the safe with its environments, secrets and overrides, in one transaction. One tombstone
 * stands for all of it: the sync server deletes a safe's items with the safe, so changes still
 * queued inside it are dropped.
 */
export async function deleteSafe(ctx: VaultContext, id: string): Promise<void> {
  const keys = await unlocked(ctx);
  const held = await safeById(ctx, id);
  // Sealed now: the safe's key goes with the safe, and the push needs it to prove the deletion.
  // A safe whose key no longer opens is still deleted here; other devices then refuse its unsealed deletion.
  const sealed = await keys
    .safeKey(held)
    .then((key) => sealDeletion(key, { kind: 'safe', safeId: id, id }, nextVer(held, held.seen), ctx.now()))
    .catch((error: unknown) => {
      if (error instanceof VaultError) return undefined;
      throw error;
    });
  const tx = ctx.db.transaction(SAFE_STORES, 'readwrite') as WriteTx;
  const safe = await tx.objectStore('safes').get(id);
  await removeSafeRecords(tx, id);
  if (safe) await queueDelete(tx, 'safe', safe, safe.ver === held.ver && safe.seen === held.seen ? sealed : undefined);
  await tx.done;
  keys.forgetSafe(id);
}

/** Every store a safe's records live in. */
export const SAFE_STORES: StoreName[] = ['safes', 'environments', 'secrets', 'indexes', 'overrides', 'outbox', 'conflicts'];

/** Inside a write transaction over SAFE_STORES: the safe and all it holds, its queued changes included. */
export async function removeSafeRecords(tx: WriteTx, id: string): Promise<void> {
  const [envIds, secretIds, indexIds, overrideIds, queued] = await Promise.all([
    tx.objectStore('environments').index('bySafe').getAllKeys(id),
    tx.objectStore('secrets').index('bySafe').getAllKeys(id),
    tx.objectStore('indexes').index('bySafe').getAllKeys(id),
    tx.objectStore('overrides').index('bySafe').getAllKeys(id),
    tx.objectStore('outbox').index('bySafe').getAllKeys(id),
  ]);
  await Promise.all([
    tx.objectStore('safes').delete(id),
    ...envIds.map((k) => tx.objectStore('environments').delete(k)),
    ...secretIds.map((k) => tx.objectStore('secrets').delete(k)),
    ...envIds.map((k) => deleteConflictsOf(tx, String(k))),
    ...indexIds.map((k) => tx.objectStore('indexes').delete(k)),
    ...overrideIds.map((k) => tx.objectStore('overrides').delete(k)),
    ...queued.map((k) => tx.objectStore('outbox').delete(k)),
  ]);
}

export async function createEnvironment(
  ctx: VaultContext,
  safeId: string,
  name: string,
  opts: { protected?: boolean } = {},
): Promise<{ id: string }> {
  const envName = checkName(name, 'Environment');
  const keys = await unlocked(ctx);
  const safe = await safeById(ctx, safeId);
  const safeKey = await keys.safeKey(safe);
  const envs = await ctx.db.getAllFromIndex('environments', 'bySafe', safeId);
  await checkEnvNameFree(safeKey, envs, envName);
  const env = await buildEnvironment(safeKey, safeId, envName, opts.protected === true, nextPosition(envs));
  const tx = ctx.db.transaction(['environments', 'indexes', 'outbox'], 'readwrite');
  await Promise.all([
    tx.objectStore('environments').put(env.record),
    tx.objectStore('indexes').put(env.index),
    queuePut(tx, 'environment', env.record),
  ]);
  await tx.done;
  return { id: env.record.id };
}

/** Renames an environment and/or changes its protected flag. */
export async function updateEnvironment(ctx: VaultContext, envId: string, changes: { name?: string; protected?: boolean }): Promise<void> {
  const keys = await unlocked(ctx);
  const env = await ctx.db.get('environments', envId);
  if (!env) throw new VaultError('not_found', msg('errEnvGone'));
  const safeKey = await keys.safeKey(await safeById(ctx, env.safeId));
  let envName: string;
  if (changes.name !== undefined) {
    envName = checkName(changes.name, 'Environment');
    const envs = await ctx.db.getAllFromIndex('environments', 'bySafe', env.safeId);
    await checkEnvNameFree(safeKey, envs, envName, envId);
  } else {
    envName = await openName('environment', safeKey, env);
  }
  // Name and flags share the version in their associated data, so both are sealed again.
  const flags = { ...(await openFlags(safeKey, env)), ...(changes.protected === undefined ? {} : { protected: changes.protected }) };
  const place = { id: envId, safeId: env.safeId, ver: nextVer(env) };
  const next: EnvironmentRecord = {
    ...env,
    ...place,
    name: await sealName('environment', safeKey, place, envName),
    flags: await sealFlags(safeKey, place, flags),
    ...flags,
  };
  const tx = ctx.db.transaction(['environments', 'outbox'], 'readwrite');
  const current = await tx.objectStore('environments').get(envId);
  if (!current || current.ver !== env.ver) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('not_found', msg('errEnvGone'));
  }
  await Promise.all([tx.objectStore('environments').put(next), queuePut(tx, 'environment', next)]);
  await tx.done;
}

/** Deletes an environment with its secrets and overrides. */
export async function deleteEnvironment(ctx: VaultContext, envId: string): Promise<void> {
  await unlocked(ctx);
  const tx = ctx.db.transaction(['environments', 'secrets', 'indexes', 'overrides', 'outbox', 'conflicts'], 'readwrite');
  const env = await tx.objectStore('environments').get(envId);
  if (!env) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('not_found', msg('errEnvGone'));
  }
  const secretIds = await tx.objectStore('secrets').index('byEnv').getAllKeys(envId);
  await Promise.all([
    tx.objectStore('environments').delete(envId),
    tx.objectStore('indexes').delete(envId),
    queueDelete(tx, 'environment', env),
    ...secretIds.map((k) => deleteWithTombstones(tx as WriteTx, k)),
    deleteConflictsOf(tx as WriteTx, envId),
  ]);
  await tx.done;
}

/** Every conflict of an environment: edits waiting for a choice, and names held twice. */
async function deleteConflictsOf(tx: WriteTx, envId: string): Promise<void> {
  const ids = await tx.objectStore('conflicts').index('byEnv').getAllKeys(envId);
  await Promise.all(ids.map((k) => tx.objectStore('conflicts').delete(k)));
}

/** How many secrets a safe or an environment holds (damaged ones included), for a deletion's confirmation. */
export async function countSecrets(
  ctx: VaultContext,
  where: { safeId?: string; envId?: string },
): Promise<{ secrets: number; environments: number }> {
  await unlocked(ctx);
  if (where.envId !== undefined) {
    return { secrets: await ctx.db.countFromIndex('secrets', 'byEnv', where.envId), environments: 1 };
  }
  const safeId = String(where.safeId);
  const [secrets, environments] = await Promise.all([
    ctx.db.countFromIndex('secrets', 'bySafe', safeId),
    ctx.db.countFromIndex('environments', 'bySafe', safeId),
  ]);
  return { secrets, environments };
}

async function safeById(ctx: VaultContext, id: string): Promise<SafeRecord> {
  const safe = await ctx.db.get('safes', id);
  if (!safe) throw new VaultError('not_found', msg('errSafeGone'));
  return safe;
}

async function checkSafeNameFree(ctx: VaultContext, keys: UnlockedKeys, name: string, exceptId?: string): Promise<void> {
  const taken = await findByName('safe', await ctx.db.getAll('safes'), (s) => keys.safeKey(s), name, exceptId);
  if (taken) throw new VaultError('duplicate', msg('errSafeTaken', taken.name), { field: 'name' });
}

async function checkEnvNameFree(safeKey: CryptoKey, envs: EnvironmentRecord[], name: string, exceptId?: string): Promise<void> {
  const taken = await findByName('environment', envs, async () => safeKey, name, exceptId);
  if (taken) throw new VaultError('duplicate', msg('errEnvTaken', taken.name), { field: 'name' });
}

function nextPosition(envs: EnvironmentRecord[]): number {
  return envs.reduce((max, e) => Math.max(max, e.position + 1), 0);
}
