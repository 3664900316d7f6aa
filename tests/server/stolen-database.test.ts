/**
 * What a copy of the server's database gives a thief: `users.kdf` and `users.keys` (the vault key
 * wrapped under the master password's key) let a guess at the master password be tested offline at
 * the cost of the client's KDF alone. The stored hash of the auth secret is never needed, so no
 * slower hash there would add anything against this thief (docs/server.md, "What the server knows").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { unwrapAesKey } from '../../lib/crypto/key-wrap';
import { deriveAccountKeys } from '../../lib/vault/account-keys';
import { kdfFromWire } from '../../lib/sync/account-link';
import { ACCOUNT_AD } from '../../lib/vault/associated-data';
import { VAULT_KEY_USAGES } from '../../lib/vault/cipher';
import { cipherFromWire } from '../../lib/sync/items';
import { type Running, startServer } from './helpers/harness';
import { device, email, MASTER, newVault } from './sync-helpers';

describe('a stolen database', () => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer('pglite');
  });
  afterAll(async () => server?.stop());

  it('lets a thief test master-password guesses without the stored hash of the auth secret: the wrapped vault key is a verifier', async () => {
    const a = await device();
    await newVault(a);
    const account = email();
    expect((await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER })).lastError).toBeUndefined();

    // The thief's copy: one row of the users table, without password_hash.
    const result = await server.database.db.execute(sql`select kdf, keys from users where email = ${account}`);
    const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
      kdf: unknown;
      keys: { accountId: string; wrappedVaultKey: string };
    }[];
    const kdf = kdfFromWire(row!.kdf);
    const test = async (guess: string) => {
      const { wrapKey } = await deriveAccountKeys(guess, kdf); // the client's KDF: the whole cost of a guess
      try {
        await unwrapAesKey(wrapKey, cipherFromWire(row!.keys.wrappedVaultKey), ACCOUNT_AD(row!.keys.accountId), {
          extractable: true,
          usages: VAULT_KEY_USAGES,
        });
        return true;
      } catch {
        return false;
      }
    };
    expect(await test('Winter2026!')).toBe(false);
    expect(await test(MASTER)).toBe(true); // right: the vault key is open, and with it every secret
  });
});
