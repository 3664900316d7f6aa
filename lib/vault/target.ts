// Resolves a Target (safe and environment, each by id or by case-insensitive name) to its records and keys.
import { openText } from './cipher';
import { ENV_NAME_AD, SAFE_NAME_AD } from './associated-data';
import type { VaultContext } from './context';
import { orDamaged } from './damaged';
import { invalid, VaultError } from './errors';
import type { EnvironmentRecord, SafeRecord } from './schema';
import type { UnlockedKeys } from './session-keys';
import type { Target } from './types';
import { sameName } from './validate';

export interface ResolvedTarget {
  safe: SafeRecord;
  safeName: string;
  safeKey: CryptoKey;
  env: EnvironmentRecord;
  envName: string;
}

export async function resolve(ctx: VaultContext, keys: UnlockedKeys, o: Target): Promise<ResolvedTarget> {
  const tx = ctx.db.transaction(['safes', 'environments']);
  const safes = await tx.objectStore('safes').getAll();
  await tx.done;
  let safe: SafeRecord | undefined;
  let safeName = '';
  if (o.appId !== undefined) {
    safe = safes.find((s) => s.id === o.appId);
    if (!safe) throw new VaultError('not_found', 'That safe no longer exists', { field: 'appId' });
    safeName = await orDamaged(openText(await keys.safeKey(safe), safe.name, SAFE_NAME_AD(safe.id)), 'safe');
  } else {
    if (typeof o.appName !== 'string' || o.appName.trim() === '') throw invalid('appName', 'Name the safe (appName)');
    const wanted = o.appName.trim();
    for (const candidate of safes) {
      const name = await safeNameOf(keys, candidate);
      if (name !== null && sameName(name, wanted)) {
        safe = candidate;
        safeName = name;
        break;
      }
    }
    if (!safe) throw new VaultError('not_found', `There is no safe named "${wanted}"`, { field: 'appName' });
  }
  const safeKey = await keys.safeKey(safe);
  const envs = await ctx.db.getAllFromIndex('environments', 'bySafe', safe.id);
  let env: EnvironmentRecord | undefined;
  let envName = '';
  if (o.envId !== undefined) {
    env = envs.find((e) => e.id === o.envId);
    if (!env) throw new VaultError('not_found', `Safe "${safeName}" has no such environment`, { field: 'envId' });
    envName = await orDamaged(openText(safeKey, env.name, ENV_NAME_AD(env.id)), 'environment');
  } else {
    if (typeof o.envName !== 'string' || o.envName.trim() === '') throw invalid('envName', 'Name the environment (envName)');
    const wanted = o.envName.trim();
    for (const candidate of envs) {
      const name = await openText(safeKey, candidate.name, ENV_NAME_AD(candidate.id)).catch(() => null);
      if (name !== null && sameName(name, wanted)) {
        env = candidate;
        envName = name;
        break;
      }
    }
    if (!env) {
      throw new VaultError('not_found', `Safe "${safeName}" has no environment named "${wanted}"`, { field: 'envName' });
    }
  }
  return { safe, safeName, safeKey, env, envName };
}

/** The safe's name, or null when it does not decrypt. */
export async function safeNameOf(keys: UnlockedKeys, safe: SafeRecord): Promise<string | null> {
  try {
    return await openText(await keys.safeKey(safe), safe.name, SAFE_NAME_AD(safe.id));
  } catch {
    return null;
  }
}
