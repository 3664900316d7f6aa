// Builds new safe and environment records (keys wrapped, names sealed, empty index) and queues their writes.
import { generateWrappableKey, SAFE_KEY_USAGES, sealJson } from './cipher';
import { sealName } from './names';
import { wrapAesKey, unwrapAesKey } from '../crypto/key-wrap';
import { INDEX_AD, SAFE_KEY_AD } from './associated-data';
import { newId, type VaultContext, type WriteTx } from './context';
import type { EnvironmentRecord, IndexRecord, SafeRecord } from './schema';

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
    name: await sealName('safe', safeKey, id, name),
    createdAt: ctx.now(),
  };
  const envs = await Promise.all(
    DEFAULT_ENVIRONMENTS.map((e, position) => buildEnvironment(safeKey, id, e.name, e.protected, position)),
  );
  return { record, safeKey, envs };
}

export function putSafe(tx: WriteTx, safe: BuiltSafe) {
  return [
    tx.objectStore('safes').put(safe.record),
    ...safe.envs.flatMap((env) => [tx.objectStore('environments').put(env.record), tx.objectStore('indexes').put(env.index)]),
  ];
}

export async function buildEnvironment(safeKey: CryptoKey, safeId: string, name: string, isProtected: boolean, position: number) {
  const id = newId();
  const record: EnvironmentRecord = {
    id,
    safeId,
    name: await sealName('environment', safeKey, id, name),
    protected: isProtected,
    position,
  };
  const index: IndexRecord = { envId: id, safeId, revision: 0, entries: await sealJson(safeKey, [], INDEX_AD(id)) };
  return { record, index };
}
