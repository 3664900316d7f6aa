// A pull page's secret metas opened while the page before it is still being written: WebCrypto
// works while IndexedDB commits, so a first pull of a large vault overlaps the two instead of
// taking them in turn. This is the same opening apply.ts does (the safe's key, the binding the item
// claims: lib/vault/binding.ts), only earlier; apply still decides everything, and uses an early
// result only for that very item object and that very key. A meta that does not open is refused
// there exactly as before.
import { openJson } from '../vault/cipher';
import { secretAd } from '../vault/binding';
import type { VaultContext } from '../vault/context';
import type { SecretRecord, ServerItem } from '../vault/schema';
import type { SealedMeta } from '../vault/secret-records';
import { unlocked } from '../vault/session-keys';
import { secretFromItem } from './items';
import { KINDS, kindOf } from './kinds';

/** Keyed by the item object itself: gone with the page, never shared with another copy of the item. */
const early = new WeakMap<ServerItem, { safeKey: CryptoKey; meta: Promise<SealedMeta> }>();

/**
 * Starts opening the metas of a page's live secrets whose safe this device already holds (on a
 * first pull, every page after the one that brought the safe). Never throws: anything it cannot
 * do is left to apply.ts.
 */
export async function preopenMetas(ctx: VaultContext, items: ServerItem[]): Promise<void> {
  try {
    const keys = await unlocked(ctx);
    const safeKeys = new Map<string, CryptoKey | undefined>();
    for (const item of items) {
      if (kindOf(item.kind) !== KINDS.secret || item.deleted || early.has(item)) continue;
      if (!safeKeys.has(item.safe_id)) {
        // A key in memory needs no read: a read would wait behind the page before's write
        // transaction, which IndexedDB commits in turn with every other request of the database.
        const held = keys.heldSafeKey(item.safe_id);
        const safe = held ? undefined : await ctx.db.get('safes', item.safe_id);
        safeKeys.set(item.safe_id, held ?? (safe && (await keys.safeKey(safe).catch(() => undefined))));
      }
      const safeKey = safeKeys.get(item.safe_id);
      if (!safeKey) continue;
      let record: SecretRecord;
      try {
        // Only the meta opens here (the place comes from the same fields): the value and history
        // are decoded once, when apply.ts makes the record.
        const { history: _history, ...fields } = item.ciphertext;
        record = secretFromItem({ ...item, ciphertext: { ...fields, value: fields.meta } } as ServerItem, 0);
      } catch {
        continue; // malformed: apply.ts says so
      }
      const meta = openJson<SealedMeta>(safeKey, record.meta, secretAd(record, 'meta'));
      meta.catch(() => undefined); // apply.ts awaits it, or opens it again
      early.set(item, { safeKey, meta });
    }
  } catch {
    // Locked meanwhile, or the database closed: apply.ts opens what it needs itself.
  }
}

/** The item's meta, opened with this key and the binding of `incoming` (the record made from this item). */
export function openMeta(safeKey: CryptoKey, item: ServerItem, incoming: SecretRecord): Promise<SealedMeta> {
  const opened = early.get(item);
  if (opened && opened.safeKey === safeKey) return opened.meta;
  return openJson<SealedMeta>(safeKey, incoming.meta, secretAd(incoming, 'meta'));
}
