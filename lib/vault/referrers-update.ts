// After a secret was renamed or moved: the secrets that referenced its old address are rewritten to
// name the new one (on the user's request), each as an ordinary update that syncs.
import type { VaultContext } from './context';
import { VaultError } from './errors';
import { addressOfHit, referrersOf } from './reference-values';
import { rewriteReferences, type Address } from './references';
import { update } from './secret-update';
import { allHits, findHit } from './search';
import { openValue } from './secret-records';
import { unlocked } from './session-keys';
import { msg } from '../i18n';

/**
 * Rewrites the shared values that referenced `from` (the secret's address before the rename) to the
 * secret's address now. Personal overrides are the user's own text and are left as they are.
 * Returns how many secrets changed.
 */
export async function updateReferrers(ctx: VaultContext, o: { id: string; from: { key: string; path: string } }): Promise<number> {
  const keys = await unlocked(ctx);
  const hit = await findHit(ctx, o.id);
  if (!hit) throw new VaultError('not_found', msg('errSecretGone'));
  const to = addressOfHit(hit);
  const from: Address = { ...to, key: o.from.key, path: o.from.path };
  let changed = 0;
  for (const referrer of referrersOf(await allHits(ctx), from, o.id)) {
    const record = await ctx.db.get('secrets', referrer.id);
    const safe = record && (await ctx.db.get('safes', record.safeId));
    if (!record || !safe) continue;
    const value = await openValue(await keys.safeKey(safe), record);
    const next = rewriteReferences(value, addressOfHit(referrer), from, to);
    if (next === value) continue;
    await update(ctx, { safeId: referrer.safeId, envId: referrer.envId, id: referrer.id, value: next });
    changed++;
  }
  return changed;
}
