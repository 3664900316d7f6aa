// Cross-checks the key hierarchy against independent implementations: @noble/hashes' Argon2id
// (itself checked against RFC 9106's test vector) and Node's crypto for PBKDF2, HKDF and AES-GCM.
import { createDecipheriv, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import { describe, expect, it } from 'vitest';
import { argon2idBits } from '../../../lib/crypto/argon2';
import type { KdfChoice } from '../../../lib/vault';
import type { AccountRecord } from '../../../lib/vault/schema';
import { getRecord, makeVault, MASTER } from './helpers';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('Argon2id', () => {
  it('the reference implementation reproduces RFC 9106 §5.3', () => {
    const tag = nobleArgon2id(new Uint8Array(32).fill(1), new Uint8Array(16).fill(2), {
      m: 32,
      t: 3,
      p: 4,
      dkLen: 32,
      key: new Uint8Array(8).fill(3),
      personalization: new Uint8Array(12).fill(4),
    });
    expect(hex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });

  it('hash-wasm (what the extension runs) agrees with the reference, UTF-8 passwords included', async () => {
    const salt = new Uint8Array(16).map((_, i) => i * 7);
    for (const [password, params] of [
      ['correct horse battery staple', { memoryKiB: 19_456, passes: 2, parallelism: 1 }],
      ['pässwörd ключ 🔑', { memoryKiB: 20_000, passes: 3, parallelism: 4 }],
    ] as const) {
      const ours = await argon2idBits(password, salt, params);
      const reference = nobleArgon2id(password, salt, { m: params.memoryKiB, t: params.passes, p: params.parallelism, dkLen: 32 });
      expect(hex(ours)).toBe(hex(reference));
    }
  });
});

/** The vault key recovered from the stored account record with Node alone: KDF → HKDF → AES-256-GCM unwrap. */
function vaultKeyByNode(account: AccountRecord, password: string): Buffer {
  const { kdf } = account;
  const master =
    kdf.name === 'Argon2id'
      ? nobleArgon2id(password, kdf.salt, { m: kdf.memoryKiB, t: kdf.passes, p: kdf.parallelism, dkLen: 32 })
      : pbkdf2Sync(password, kdf.salt, kdf.iterations, 32, 'sha256');
  const wrapKey = Buffer.from(hkdfSync('sha256', master, new Uint8Array(0), 'keysmith/v1/wrap-key', 32));
  const { iv, data } = account.wrappedVaultKey;
  const decipher = createDecipheriv('aes-256-gcm', wrapKey, iv);
  decipher.setAAD(Buffer.from(`keysmith/v1/account/${account.id}/vault-key`));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}

describe('the key hierarchy, recomputed independently', () => {
  const choices: KdfChoice[] = [
    { name: 'Argon2id', memoryKiB: 19_456, passes: 2, parallelism: 1 },
    { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000 },
  ];
  for (const kdf of choices) {
    it(`${kdf.name}: Node derives the same vault key the vault unlocked`, async () => {
      const { vault, factory, session } = await makeVault({ setup: false });
      await vault.setup(MASTER, { kdf });
      const account = await getRecord<AccountRecord>(factory, 'meta', 'account');
      expect(account.kdf).toMatchObject(kdf);
      expect(hex(vaultKeyByNode(account, MASTER))).toBe(hex((await session.get())!));
      expect(() => vaultKeyByNode(account, `${MASTER}!`)).toThrow(/authenticate/);
    });
  }

  it('the default for a new vault is Argon2id, 64 MiB, 3 passes, 4 lanes, checked the same way', async () => {
    const { factory, session } = await makeVault();
    const account = await getRecord<AccountRecord>(factory, 'meta', 'account');
    expect(account.kdf).toMatchObject({ name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4 });
    expect(account.kdf.salt).toHaveLength(16);
    expect(hex(vaultKeyByNode(account, MASTER))).toBe(hex((await session.get())!));
  });
});
