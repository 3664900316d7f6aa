// Two devices that settle one conflict the same way at once send the same content (conflict-marks.ts
// makes *Keep both* alike everywhere): the second push meets the first as a conflict. A server copy
// that says exactly what this device sent is no conflict: it is taken, and nothing waits for a choice.
import { openJson, openText } from '../vault/cipher';
import { secretAd } from '../vault/binding';
import type { VaultContext } from '../vault/context';
import { metaOf } from '../vault/env-index';
import type { SecretRecord, ServerItem } from '../vault/schema';
import type { UnlockedKeys } from '../vault/session-keys';
import { secretFromItem, type ItemWrite } from './items';
import { KINDS } from './kinds';
import type { SecretMeta } from '../vault/types';

async function opened(safeKey: CryptoKey, r: SecretRecord): Promise<string> {
  const [meta, value] = await Promise.all([
    openJson<SecretMeta>(safeKey, r.meta, secretAd(r, 'meta')),
    openText(safeKey, r.value, secretAd(r, 'value')),
  ]);
  return JSON.stringify([metaOf(meta), value]);
}

/** Of a push's refused secrets, those whose server copy opens here and says what this device holds, by id. */
export async function alikeOnServer(
  ctx: VaultContext,
  keys: UnlockedKeys,
  writes: ItemWrite[],
  results: { id: string; ok: boolean; conflict?: ServerItem | null }[],
): Promise<Map<string, ServerItem>> {
  const out = new Map<string, ServerItem>();
  // Only kinds whose content says the same thing on two devices: secrets (this file opens them as such).
  const secrets = new Set(writes.filter((w) => KINDS[w.kind].comparesContent && !w.deleted).map((w) => w.id));
  for (const result of results) {
    const theirs = result.conflict;
    if (result.ok || !theirs || theirs.deleted || !secrets.has(result.id)) continue;
    const mine = await ctx.db.get('secrets', result.id);
    const safe = mine && (await ctx.db.get('safes', mine.safeId));
    if (!mine || !safe) continue;
    try {
      const safeKey = await keys.safeKey(safe);
      const incoming = secretFromItem(theirs, ctx.now());
      if (incoming.envId !== mine.envId || incoming.safeId !== mine.safeId) continue;
      if ((await opened(safeKey, mine)) === (await opened(safeKey, incoming))) out.set(result.id, theirs);
    } catch {
      // A copy that does not open here is never taken: the conflict path decides.
    }
  }
  return out;
}
