// Resolves a Target (safe and environment, each by id or by case-insensitive name) to its records and keys.
import type { VaultContext } from './context';
import { invalid, VaultError } from './errors';
import { findByName, openName } from './names';
import type { EnvironmentRecord, SafeRecord } from './schema';
import type { UnlockedKeys } from './session-keys';
import type { PhaseTarget, Target } from './types';
import { msg } from '../i18n';

export interface ResolvedTarget {
  safe: SafeRecord;
  safeName: string;
  safeKey: CryptoKey;
  env: EnvironmentRecord;
  envName: string;
}

/**
 * Phase's SDK calls a safe an "app": its operations (create, get, update, delete) accept appId and
 * appName, and this is the one place they are read. Errors name the option the caller used.
 */
function safeRef(o: Target & PhaseTarget): { by: 'id' | 'name'; value: unknown; field: string } {
  if (o.safeId !== undefined) return { by: 'id', value: o.safeId, field: 'safeId' };
  if (o.appId !== undefined) return { by: 'id', value: o.appId, field: 'appId' };
  if (o.safeName !== undefined) return { by: 'name', value: o.safeName, field: 'safeName' };
  return { by: 'name', value: o.appName, field: 'appName' };
}

export async function resolve(ctx: VaultContext, keys: UnlockedKeys, o: Target & PhaseTarget): Promise<ResolvedTarget> {
  const safes = await ctx.db.getAll('safes');
  const ref = safeRef(o);
  let safe: SafeRecord | undefined;
  let safeName = '';
  if (ref.by === 'id') {
    safe = safes.find((s) => s.id === ref.value);
    if (!safe) throw new VaultError('not_found', msg('errSafeGone'), { field: ref.field });
    safeName = await openName('safe', await keys.safeKey(safe), safe);
  } else {
    const wanted = requireName(ref.value, ref.field, 'safe');
    const found = await findByName('safe', safes, (s) => keys.safeKey(s), wanted);
    if (!found) throw new VaultError('not_found', msg('errNoSafeNamed', wanted), { field: ref.field });
    ({ record: safe, name: safeName } = found);
  }
  const safeKey = await keys.safeKey(safe);
  const envs = await ctx.db.getAllFromIndex('environments', 'bySafe', safe.id);
  let env: EnvironmentRecord | undefined;
  let envName = '';
  if (o.envId !== undefined) {
    env = envs.find((e) => e.id === o.envId);
    if (!env) throw new VaultError('not_found', msg('errNoSuchEnv', safeName), { field: 'envId' });
    envName = await openName('environment', safeKey, env);
  } else {
    const wanted = requireName(o.envName, 'envName', 'environment');
    const found = await findByName('environment', envs, async () => safeKey, wanted);
    if (!found) throw new VaultError('not_found', msg('errNoEnvNamed', safeName, wanted), { field: 'envName' });
    ({ record: env, name: envName } = found);
  }
  return { safe, safeName, safeKey, env, envName };
}

function requireName(value: unknown, field: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, what === 'safe' ? 'errNameSafe' : 'errNameEnv', field);
  return value.trim();
}
