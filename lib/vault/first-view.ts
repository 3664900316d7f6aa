// What the popup shows first, in one round trip: status, the safes, and one environment's list.
import type { VaultContext } from './context';
import { status } from './lifecycle';
import { listSafes } from './safes';
import { listSecrets } from './secrets';
import type { VaultOpening } from './types';

/** Lists the environment asked for, else the first of the safe asked for, else the first of all. */
export async function open(ctx: VaultContext, wanted: { safeId?: string; envId?: string } = {}): Promise<VaultOpening> {
  const now = await status(ctx);
  if (!now.unlocked) return { status: now };
  const safes = await listSafes(ctx);
  const safe = safes.find((s) => s.id === wanted.safeId) ?? safes[0];
  const env = safe?.environments.find((e) => e.id === wanted.envId) ?? safe?.environments[0];
  if (!safe || !env) return { status: now, view: { safes, safeId: '', envId: '', secrets: [] } };
  return { status: now, view: { safes, safeId: safe.id, envId: env.id, secrets: await listSecrets(ctx, safe.id, env.id) } };
}
