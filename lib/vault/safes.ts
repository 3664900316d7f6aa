// Safes and their environments: list, create, rename or update, delete.
import type { VaultContext } from './context';
import { messageOf } from './damaged';
import { VaultError } from './errors';
import { readAccount } from './lifecycle';
import { buildEnvironment, buildSafe, putSafe } from './safe-records';
import { findByName, openName, sealName } from './names';
import type { Cipher, EnvironmentRecord, SafeRecord } from './schema';
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
  const tx = ctx.db.transaction(['safes', 'environments', 'indexes'], 'readwrite');
  await Promise.all(putSafe(tx, safe));
  await tx.done;
  return { id: safe.record.id };
}

export async function renameSafe(ctx: VaultContext, id: string, name: string): Promise<void> {
  const safeName = checkName(name, 'Safe');
  const keys = await unlocked(ctx);
  const safe = await safeById(ctx, id);
  await checkSafeNameFree(ctx, keys, safeName, id);
  const sealed = await sealName('safe', await keys.safeKey(safe), id, safeName);
  const tx = ctx.db.transaction('safes', 'readwrite');
  const current = await tx.store.get(id);
  if (!current) throw new VaultError('not_found', msg('errSafeGone'));
  await tx.store.put({ ...current, name: sealed });
  await tx.done;
}

/** Deletes the safe with its environments, secrets and overrides, in one transaction. */
export async function deleteSafe(ctx: VaultContext, id: string): Promise<void> {
  const keys = await unlocked(ctx);
  await safeById(ctx, id);
  const tx = ctx.db.transaction(['safes', 'environments', 'secrets', 'indexes', 'overrides'], 'readwrite');
  const [envIds, secretIds, indexIds, overrideIds] = await Promise.all([
    tx.objectStore('environments').index('bySafe').getAllKeys(id),
    tx.objectStore('secrets').index('bySafe').getAllKeys(id),
    tx.objectStore('indexes').index('bySafe').getAllKeys(id),
    tx.objectStore('overrides').index('bySafe').getAllKeys(id),
  ]);
  await Promise.all([
    tx.objectStore('safes').delete(id),
    ...envIds.map((k) => tx.objectStore('environments').delete(k)),
    ...secretIds.map((k) => tx.objectStore('secrets').delete(k)),
    ...indexIds.map((k) => tx.objectStore('indexes').delete(k)),
    ...overrideIds.map((k) => tx.objectStore('overrides').delete(k)),
  ]);
  await tx.done;
  keys.forgetSafe(id);
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
  const tx = ctx.db.transaction(['environments', 'indexes'], 'readwrite');
  await Promise.all([tx.objectStore('environments').put(env.record), tx.objectStore('indexes').put(env.index)]);
  await tx.done;
  return { id: env.record.id };
}

/** Renames an environment and/or changes its protected flag. */
export async function updateEnvironment(
  ctx: VaultContext,
  envId: string,
  changes: { name?: string; protected?: boolean },
): Promise<void> {
  const keys = await unlocked(ctx);
  const env = await ctx.db.get('environments', envId);
  if (!env) throw new VaultError('not_found', msg('errEnvGone'));
  const safeKey = await keys.safeKey(await safeById(ctx, env.safeId));
  let name: Cipher = env.name;
  if (changes.name !== undefined) {
    const envName = checkName(changes.name, 'Environment');
    const envs = await ctx.db.getAllFromIndex('environments', 'bySafe', env.safeId);
    await checkEnvNameFree(safeKey, envs, envName, envId);
    name = await sealName('environment', safeKey, envId, envName);
  }
  await ctx.db.put('environments', { ...env, name, protected: changes.protected ?? env.protected });
}

/** Deletes an environment with its secrets and overrides. */
export async function deleteEnvironment(ctx: VaultContext, envId: string): Promise<void> {
  await unlocked(ctx);
  const tx = ctx.db.transaction(['environments', 'secrets', 'indexes', 'overrides'], 'readwrite');
  if (!(await tx.objectStore('environments').get(envId))) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new VaultError('not_found', msg('errEnvGone'));
  }
  const [secretIds, overrideIds] = await Promise.all([
    tx.objectStore('secrets').index('byEnv').getAllKeys(envId),
    tx.objectStore('overrides').index('byEnv').getAllKeys(envId),
  ]);
  await Promise.all([
    tx.objectStore('environments').delete(envId),
    tx.objectStore('indexes').delete(envId),
    ...secretIds.map((k) => tx.objectStore('secrets').delete(k)),
    ...overrideIds.map((k) => tx.objectStore('overrides').delete(k)),
  ]);
  await tx.done;
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
