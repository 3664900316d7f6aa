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
import { factsOf, opens, sameCipher, type Outcome, type Waiting } from './apply-rules';
import { environmentFromItem, safeFromItem } from './items';
import { decideIncoming, outcomeOf } from './decide';
import { deletionPlaceOf, KINDS } from './kinds';
import { noteGone, openDeletion } from './deletions';

/** A safe: its key never changes, and its name must open with it. */
export async function applySafe(ctx: VaultContext, keys: UnlockedKeys, item: ServerItem, waiting: Waiting): Promise<Outcome> {
  const local = await ctx.db.get('safes', item.id);
  const facts = factsOf(KINDS.safe, item, local, waiting);
  let decision = decideIncoming(facts);
  if (decision !== 'open-first') return outcomeOf(decision);
  if (item.deleted) {
    const key = await keys.safeKey(local!).catch((error: unknown) => {
      if (error instanceof VaultError) return undefined;
      throw error;
    });
    // Unsealed, or sealed for another safe: a deletion no device of the account made.
    const deletion = key && (await openDeletion(key, deletionPlaceOf(KINDS.safe, local!), item));
    decision = decideIncoming({ ...facts, opens: !!deletion });
    if (decision === 'take-deletion') await dropSafe(ctx, keys, item.id, deletion!.ver);
    return outcomeOf(decision);
  }
  const org = (await ctx.db.getAll('orgs'))[0];
  const incoming = safeFromItem(item, local?.orgId ?? org?.id ?? '');
  // A safe's key never changes: another wrapped key is another safe passed off as this one.
  facts.moved = !!local && !sameCipher(local.wrappedKey, incoming.wrappedKey);
  facts.ver = incoming.ver ?? 0;
  decision = decideIncoming(facts);
  if (decision !== 'open-first') return outcomeOf(decision);
  let safeKey: CryptoKey | undefined;
  try {
    safeKey = local
      ? await keys.safeKey(local)
      : await unwrapAesKey(keys.vaultKey, incoming.wrappedKey, SAFE_KEY_AD(incoming.id), { usages: SAFE_KEY_USAGES });
  } catch {
    safeKey = undefined;
  }
  const opened = safeKey !== undefined && (await opens(openName('safe', safeKey, incoming)));
  decision = decideIncoming({ ...facts, opens: opened, sameBytes: local !== undefined && sameCipher(local.name, incoming.name) });
  if (decision === 'keep-mine') {
    // Renamed here too: this device's name wins and is sent on the next push, above the server's version.
    const ver = Math.max(local!.ver ?? 0, incoming.ver ?? 0) + 1;
    await ctx.db.put('safes', { ...(await resealSafe(safeKey!, local!, ver)), rev: item.revision, seen: incoming.ver });
  } else if (decision === 'take' || decision === 'same-copy') {
    await ctx.db.put('safes', { ...incoming, createdAt: local?.createdAt ?? incoming.createdAt });
  }
  return outcomeOf(decision);
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
  const local = await ctx.db.get('environments', item.id);
  const facts = factsOf(KINDS.environment, item, local, waiting);
  let decision = decideIncoming(facts);
  if (decision !== 'open-first') return outcomeOf(decision);
  if (item.deleted) {
    const safe = await ctx.db.get('safes', local!.safeId);
    const key =
      safe &&
      (await keys.safeKey(safe).catch((error: unknown) => {
        if (error instanceof VaultError) return undefined;
        throw error;
      }));
    // Unsealed, or sealed for another environment: a deletion no device of the account made.
    const deletion = key && (await openDeletion(key, deletionPlaceOf(KINDS.environment, local!), item));
    decision = decideIncoming({ ...facts, opens: !!deletion });
    if (decision === 'take-deletion') await dropEnvironment(ctx, item.id, deletion!.ver);
    return outcomeOf(decision);
  }
  const shape = environmentFromItem(item);
  const safe = await ctx.db.get('safes', shape.safeId);
  facts.moved = !!local && local.safeId !== shape.safeId; // moved to another safe
  facts.ver = shape.ver ?? 0;
  facts.safeMissing = !safe;
  decision = decideIncoming(facts);
  if (decision !== 'open-first') return outcomeOf(decision);
  let safeKey: CryptoKey | undefined;
  try {
    safeKey = await keys.safeKey(safe!);
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
  }
  const probe: EnvironmentRecord = { ...shape, protected: false, position: 0 };
  let flags: Awaited<ReturnType<typeof openFlags>> | undefined;
  if (safeKey) {
    try {
      await openName('environment', safeKey, probe);
      flags = await openFlags(safeKey, probe);
    } catch {
      flags = undefined;
    }
  }
  const incoming: EnvironmentRecord = { ...shape, ...(flags ?? { protected: false, position: 0 }) };
  const same = local !== undefined && sameCipher(local.name, incoming.name) && !!local.flags && sameCipher(local.flags, incoming.flags!);
  decision = decideIncoming({ ...facts, opens: flags !== undefined, sameBytes: same });
  if (decision === 'keep-mine') {
    const ver = Math.max(local!.ver ?? 0, incoming.ver ?? 0) + 1;
    await ctx.db.put('environments', { ...(await resealEnvironment(safeKey!, local!, ver)), rev: item.revision, seen: incoming.ver });
  } else if (decision === 'take' || decision === 'same-copy') {
    const tx = ctx.db.transaction(['environments', 'indexes'], 'readwrite');
    const index = await tx.objectStore('indexes').get(item.id);
    await tx.objectStore('environments').put(incoming);
    await tx.done;
    if (!index) {
      await ctx.db.put('indexes', {
        envId: item.id,
        safeId: shape.safeId,
        revision: 0,
        entries: await sealJson(safeKey!, [], INDEX_AD(item.id)),
      });
    }
  }
  return outcomeOf(decision);
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
