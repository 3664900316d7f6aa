// Builds new safe and environment records (keys wrapped, names and flags sealed, empty index) and queues their writes.
import { generateWrappableKey, openJson, SAFE_KEY_USAGES, sealJson, sealPaddedJson } from './cipher';
import { sealName } from './names';
import { wrapAesKey, unwrapAesKey } from '../crypto/key-wrap';
import { INDEX_AD, SAFE_KEY_AD } from './associated-data';
import { envAd } from './binding';
import { newId, type VaultContext, type WriteTx } from './context';
import { damagedError, orDamaged } from './damaged';
import { queuePut } from './outbox';
import type { Cipher, EnvironmentFlags, EnvironmentRecord, IndexRecord, SafeRecord } from './schema';

export const DEFAULT_ENVIRONMENTS: readonly { name: string; protected: boolean }[] = [
  { name: 'Development', protected: false },
  { name: 'Staging', protected: false },
  { name: 'Production', protected: true },
];

export type BuiltSafe = Awaited<ReturnType<typeof buildSafe>>;

export async function buildSafe(ctx: VaultContext, vaultKey: CryptoKey, orgId: string, name: string) {
  const id = newId();
  const toWrap = await generateWrappableKey(SAFE_KEY_USAGES);
  const wrappedKey = await wrapAesKey(vaultKey, toWrap, SAFE_KEY_AD(id));
  const safeKey = await unwrapAesKey(vaultKey, wrappedKey, SAFE_KEY_AD(id), { usages: SAFE_KEY_USAGES });
  const record: SafeRecord = {
    id,
    orgId,
    wrappedKey,
    name: await sealName('safe', safeKey, { id, ver: 1 }, name),
    createdAt: ctx.now(),
    ver: 1,
  };
  const envs = await Promise.all(DEFAULT_ENVIRONMENTS.map((e, position) => buildEnvironment(safeKey, id, e.name, e.protected, position)));
  return { record, safeKey, envs };
}

/** The safe, its environments and their empty indexes, each queued for the sync server. */
export function putSafe(tx: WriteTx, safe: BuiltSafe) {
  return [
    tx.objectStore('safes').put(safe.record),
    queuePut(tx, 'safe', safe.record),
    ...safe.envs.flatMap((env) => [
      tx.objectStore('environments').put(env.record),
      tx.objectStore('indexes').put(env.index),
      queuePut(tx, 'environment', env.record),
    ]),
  ];
}

export async function buildEnvironment(safeKey: CryptoKey, safeId: string, name: string, isProtected: boolean, position: number) {
  const id = newId();
  const place = { id, safeId, ver: 1 };
  const flags: EnvironmentFlags = { protected: isProtected, position };
  const record: EnvironmentRecord = {
    ...place,
    name: await sealName('environment', safeKey, place, name),
    flags: await sealFlags(safeKey, place, flags),
    ...flags,
  };
  const index: IndexRecord = { envId: id, safeId, revision: 0, entries: await sealJson(safeKey, [], INDEX_AD(id)) };
  return { record, index };
}

export function sealFlags(
  safeKey: CryptoKey,
  place: { id: string; safeId: string; ver: number },
  flags: EnvironmentFlags,
): Promise<Cipher> {
  return sealPaddedJson(safeKey, { protected: flags.protected, position: flags.position }, envAd(place, 'flags'));
}

/** The sealed flags, or VaultError('damaged'); an environment made before they were sealed has only the clear copies. */
export async function openFlags(safeKey: CryptoKey, env: EnvironmentRecord): Promise<EnvironmentFlags> {
  if (!env.flags || env.ver === undefined) return { protected: env.protected, position: env.position };
  const flags = await orDamaged(openJson<EnvironmentFlags>(safeKey, env.flags, envAd(env, 'flags')), 'environment');
  if (typeof flags.protected !== 'boolean' || !Number.isInteger(flags.position)) throw damagedError('environment');
  return flags;
}
