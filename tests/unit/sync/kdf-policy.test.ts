import { describe, expect, it } from 'vitest';
import { checkAccountKdf, checkNewDeviceKdf, checkPinnedKdf, needsKdfUpgrade } from '../../../lib/sync/kdf-policy';
import type { KdfParams } from '../../../lib/vault/kdf-params';

const salt = Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) % 256);
const otherSalt = Uint8Array.from({ length: 16 }, (_, i) => (i * 53 + 7) % 256);
const argon = (memoryKiB: number, passes: number, s = salt): KdfParams => ({
  name: 'Argon2id',
  memoryKiB,
  passes,
  parallelism: 4,
  salt: s,
});
const pbkdf2 = (iterations: number, s = salt): KdfParams => ({ name: 'PBKDF2-HMAC-SHA256', iterations, salt: s });
const code = (run: () => void) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

// What a server's KDF answer may be (lib/sync/kdf-policy.ts): a cheap login proof is an offline guess.
describe("a new device and the server's KDF", () => {
  it.each([
    ['the defaults', argon(65_536, 3), 'ok'],
    ['more than the defaults', argon(131_072, 4), 'ok'],
    ['PBKDF2 at the OWASP floor', pbkdf2(600_000), 'kdf_below_floor'],
    ['Argon2id below the default memory', argon(32_768, 3), 'kdf_below_floor'],
    ['Argon2id below the default passes', argon(65_536, 2), 'kdf_below_floor'],
    ['an all-zero salt', argon(65_536, 3, new Uint8Array(16)), 'kdf_salt'],
    [
      'a salt of two repeated bytes',
      argon(
        65_536,
        3,
        Uint8Array.from({ length: 16 }, (_, i) => (i % 2 ? 0xab : 0xcd)),
      ),
      'kdf_salt',
    ],
    ['a short salt', argon(65_536, 3, salt.slice(0, 12)), 'kdf_salt'],
    ['1 GiB of memory', argon(1_048_576, 3), 'kdf_out_of_range'],
    ['10 passes', argon(65_536, 10), 'kdf_out_of_range'],
  ])('%s: %s', (_name, kdf, expected) => {
    expect(code(() => checkNewDeviceKdf(kdf as KdfParams))).toBe(expected);
  });
});

describe("a device that holds its account's KDF", () => {
  it.each([
    ['the same', argon(65_536, 3), 'ok'],
    ['stronger, same salt', argon(131_072, 3), 'ok'],
    ['from PBKDF2 to Argon2id, same salt', argon(65_536, 3), 'ok', pbkdf2(600_000)],
    ['another salt', argon(65_536, 3, otherSalt), 'kdf_changed'],
    ['less memory', argon(32_768, 3), 'kdf_changed'],
    ['fewer passes', argon(65_536, 2), 'kdf_changed'],
    ['back to PBKDF2', pbkdf2(2_000_000), 'kdf_changed'],
    ['above the caps', argon(1_048_576, 3), 'kdf_out_of_range'],
  ])('%s', (_name, kdf, expected, pinned = argon(65_536, 3)) => {
    expect(code(() => checkPinnedKdf(kdf as KdfParams, pinned as KdfParams))).toBe(expected);
  });
});

describe("an account's own KDF", () => {
  it('is upgraded while below the defaults, and may not be set below them or above the caps', () => {
    expect(needsKdfUpgrade(pbkdf2(2_000_000))).toBe(true);
    expect(needsKdfUpgrade(argon(19_456, 2))).toBe(true);
    expect(needsKdfUpgrade(argon(65_536, 3))).toBe(false);
    expect(code(() => checkAccountKdf(pbkdf2(600_000)))).toBe('kdf_below_floor');
    expect(code(() => checkAccountKdf(argon(524_288, 3)))).toBe('kdf_below_floor');
    expect(code(() => checkAccountKdf(argon(65_536, 3)))).toBe('ok');
  });
});
