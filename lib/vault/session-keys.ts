// The unlocked vault key and safe keys: in this process's memory, rebuilt from the session secret.
import { SAFE_KEY_USAGES, VAULT_KEY_USAGES } from './cipher';
import { unwrapAesKey } from '../crypto/key-wrap';
import { SAFE_KEY_AD } from './associated-data';
import type { VaultContext } from './context';
import { orDamaged } from './damaged';
import { VaultError } from './errors';
import type { SafeRecord } from './schema';
import { msg } from '../i18n';

/** The unlocked keys. Safe keys are unwrapped from their records on first use and kept in memory. */
export class UnlockedKeys {
  private readonly safeKeys = new Map<string, CryptoKey>();

  constructor(readonly vaultKey: CryptoKey) {}

  async safeKey(safe: SafeRecord): Promise<CryptoKey> {
    const cached = this.safeKeys.get(safe.id);
    if (cached) return cached;
    const key = await orDamaged(unwrapAesKey(this.vaultKey, safe.wrappedKey, SAFE_KEY_AD(safe.id), { usages: SAFE_KEY_USAGES }), 'safe');
    this.safeKeys.set(safe.id, key);
    return key;
  }

  /** A safe key already unwrapped, without reading its record (undefined if it is not in memory yet). */
  heldSafeKey(safeId: string): CryptoKey | undefined {
    return this.safeKeys.get(safeId);
  }

  forgetSafe(safeId: string): void {
    this.safeKeys.delete(safeId);
  }
}

function lockedError(): VaultError {
  return new VaultError('locked', msg('errLocked'));
}

/**
 * The unlocked keys, or VaultError('locked'). A stopped service worker comes back with empty
 * memory: the session secret (the vault key's bytes, memory-only) rebuilds the keys without a KDF run.
 */
export async function unlocked(ctx: VaultContext): Promise<UnlockedKeys> {
  if (ctx.keys.current) return ctx.keys.current;
  const generation = ctx.keys.generation;
  const secret = await ctx.session.get();
  if (!secret) throw lockedError();
  const vaultKey = await importVaultKey(secret);
  // A lock while the secret was being read wins: never install keys after it.
  if (ctx.keys.generation !== generation) throw lockedError();
  ctx.keys.current ??= new UnlockedKeys(vaultKey);
  return ctx.keys.current;
}

/** Installs the keys of a fresh unlock (or setup) in memory and the session secret. */
export async function installSession(ctx: VaultContext, rawVaultKey: Uint8Array<ArrayBuffer>): Promise<void> {
  const vaultKey = await importVaultKey(rawVaultKey);
  await ctx.session.set(rawVaultKey);
  rawVaultKey.fill(0);
  ctx.keys.generation += 1;
  ctx.keys.current = new UnlockedKeys(vaultKey);
}

/** Drops the keys from memory and the session secret; anything rebuilding them meanwhile gives up. */
export async function dropSession(ctx: VaultContext): Promise<void> {
  ctx.keys.generation += 1;
  ctx.keys.current = undefined;
  await ctx.session.clear();
}

export async function hasSession(ctx: VaultContext): Promise<boolean> {
  return ctx.keys.current !== undefined || (await ctx.session.get()) !== undefined;
}

/** Non-extractable: from here on, WebCrypto alone holds the key. */
function importVaultKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, VAULT_KEY_USAGES);
}
