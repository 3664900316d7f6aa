// The unlocked vault and safe keys, read from the session store at the start of each operation.
import { unwrapKeyCipher, SAFE_KEY_USAGES } from './cipher';
import { SAFE_KEY_AD } from './associated-data';
import type { VaultContext } from './context';
import { orDamaged } from './damaged';
import { VaultError } from './errors';
import type { SafeRecord } from './schema';

/** The unlocked keys, read from the session store at the start of each operation. */
export class UnlockedKeys {
  constructor(
    readonly vaultKey: CryptoKey,
    private readonly safeKeys: Map<string, CryptoKey>,
  ) {}

  async safeKey(safe: SafeRecord): Promise<CryptoKey> {
    const cached = this.safeKeys.get(safe.id);
    if (cached) return cached;
    const key = await orDamaged(
      unwrapKeyCipher(this.vaultKey, safe.wrappedKey, SAFE_KEY_AD(safe.id), { usages: SAFE_KEY_USAGES }),
      'safe',
    );
    this.safeKeys.set(safe.id, key);
    return key;
  }
}

export async function unlocked(ctx: VaultContext): Promise<UnlockedKeys> {
  const tx = ctx.db.transaction('session');
  const [ids, rows] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
  await tx.done;
  let vaultKey: CryptoKey | undefined;
  const safeKeys = new Map<string, CryptoKey>();
  ids.forEach((id, i) => {
    const row = rows[i];
    if (!row) return;
    if (id === 'vault') vaultKey = row.key;
    else if (id.startsWith('safe:')) safeKeys.set(id.slice(5), row.key);
  });
  if (!vaultKey) throw new VaultError('locked', 'The vault is locked: unlock it with your master password');
  return new UnlockedKeys(vaultKey, safeKeys);
}
