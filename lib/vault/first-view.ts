// What the popup shows first, in one round trip: status, the safes, and one environment's list.
import type { VaultContext } from './context';
import { status } from './lifecycle';
import { byPathThenKey } from './order';
import { listSafes } from './safes';
import { cachedSafes } from './search';
import { unlocked } from './session-keys';
import { listSecrets } from './secrets';
import type { DamagedItem, SecretSummary, VaultOpening } from './types';

/** Lists the environment asked for, else the first of the safe asked for, else the first of all. */
export async function open(ctx: VaultContext, wanted: { safeId?: string; envId?: string } = {}): Promise<VaultOpening> {
  const now = await status(ctx);
  if (!now.unlocked) return { status: now };
  // The names in memory since the last opening, when nothing was written: no decryption at all.
  const safes = cachedSafes(ctx, await unlocked(ctx)) ?? (await listSafes(ctx));
  const safe = safes.find((s) => s.id === wanted.safeId) ?? safes[0];
  const env = safe?.environments.find((e) => e.id === wanted.envId) ?? safe?.environments[0];
  if (!safe || !env) return { status: now, view: { safes, safeId: '', envId: '', secrets: [], complete: true } };
  const list = await listSecrets(ctx, safe.id, env.id);
  const items = list.filter((e): e is SecretSummary => !('error' in e));
  const damaged = list.filter((e): e is DamagedItem => 'error' in e);
  // The first screenful in list order, so a large environment paints at once; the popup asks for the rest.
  items.sort(byPathThenKey);
  const complete = items.length <= FIRST_PAGE;
  const secrets = [...(complete ? items : items.slice(0, FIRST_PAGE)), ...damaged];
  return { status: now, view: { safes, safeId: safe.id, envId: env.id, secrets, complete } };
}

/** More than the popup shows without scrolling (about 18 rows). */
export const FIRST_PAGE = 100;
