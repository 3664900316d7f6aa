/**
 * Salted hashes of what clients authenticate with. The extension sends its auth secret: 256 bits
 * from HKDF over the master key, which Argon2id derived from the master password on the device
 * (lib/sync/auth-secret.ts). A guess at it therefore costs a whole client KDF, and the same guess is
 * as cheap to test against the wrapped vault key stored beside it (`users.kdf` + `users.keys`,
 * tests/server/stolen-database.test.ts), so a slow hash here adds no cost to a thief of the database;
 * it cost every sign-in half a second of a core and 128 MiB. The hash is HMAC-SHA-256 keyed with a
 * per-account random salt (RFC 2104), stored as `hmac-sha256$salt$hash` (base64): one-way, so a
 * stolen hash alone signs nobody in, and salted, so equal secrets never look equal.
 *
 * Hashes made by earlier servers, `scrypt$N$r$p$salt$hash` (RFC 7914), are still checked, as the
 * slow work they are (the caller runs them within the CPU budget), and replaced at the account's next
 * successful sign-in (needsRehash).
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const SCHEME = 'hmac-sha256';
const KEY_LENGTH = 32;

function hmac(secret: string, salt: Buffer): Buffer {
  return createHmac('sha256', salt).update(secret, 'utf8').digest();
}

export function hashPassword(secret: string): string {
  const salt = randomBytes(16);
  return [SCHEME, salt.toString('base64'), hmac(secret, salt).toString('base64')].join('$');
}

/** A hash whose check is slow work (an earlier server's scrypt): the caller runs it within the CPU budget. */
export function isSlowHash(stored: string): boolean {
  return stored.startsWith('scrypt$');
}

export async function verifyPassword(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  let expected: Buffer;
  let actual: Buffer;
  if (parts[0] === SCHEME && parts.length === 3) {
    expected = Buffer.from(parts[2]!, 'base64');
    actual = hmac(secret, Buffer.from(parts[1]!, 'base64'));
  } else if (parts[0] === 'scrypt' && parts.length === 6) {
    const [, n, r, p, salt, hash] = parts.map(String);
    expected = Buffer.from(hash!, 'base64');
    actual = await scryptAsync(secret, Buffer.from(salt!, 'base64'), Number(n), Number(r), Number(p));
  } else {
    return false;
  }
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash in an earlier server's form: redone while the secret is at hand (at sign-in). */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`${SCHEME}$`);
}

/** scrypt (RFC 7914) on the thread pool, with room for its memory (128·N·r bytes) and then some. */
export function scryptAsync(secret: string | Buffer, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}
