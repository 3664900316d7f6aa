// Opens a password-protected Bitwarden export: the key from the password, then its "EncString"s.
import { argon2idBits } from '../crypto/argon2';
import { fromBase64, utf8Decode, utf8Encode } from '../crypto/encoding';
import { pbkdf2Bits } from '../crypto/kdf';
import { msg } from '../i18n';
import { checkKdfChoice, type KdfChoice } from '../vault/kdf-params';
import { isVaultError, VaultError } from '../vault/errors';
import { damaged } from './fail';

/** Bitwarden's `kdfType`: 0 PBKDF2-SHA256, 1 Argon2id (memory in MiB). */
const PBKDF2 = 0;
const ARGON2ID = 1;

/**
 * The export's KDF parameters, held to the floors and caps of Keysmith's own backups
 * (lib/vault/kdf-params.ts). A file is attacker-controlled: Bitwarden's importer once accepted any
 * Argon2 memory and passes, so a crafted file could freeze or crash the browser
 * (bitwarden/clients PR #23039), and too few iterations would make the password cheap to guess.
 */
export function bitwardenKdf(file: Record<string, unknown>): KdfChoice {
  const { kdfType, kdfIterations, kdfMemory, kdfParallelism } = file;
  const memoryKiB = typeof kdfMemory === 'number' ? kdfMemory * 1024 : kdfMemory;
  const asked =
    kdfType === PBKDF2
      ? { name: 'PBKDF2-HMAC-SHA256', iterations: kdfIterations }
      : kdfType === ARGON2ID
        ? { name: 'Argon2id', memoryKiB, passes: kdfIterations, parallelism: kdfParallelism }
        : undefined;
  if (!asked) throw damaged('errImportBitwardenKdf');
  try {
    return checkKdfChoice(asked, 'stored');
  } catch (error) {
    // The same codes as a backup's, with words about this file and what to do in Bitwarden.
    if (isVaultError(error, 'kdf_below_floor'))
      throw new VaultError('kdf_below_floor', msg('errImportBitwardenKdfWeak'), { field: 'file' });
    if (isVaultError(error, 'kdf_out_of_range'))
      throw new VaultError('kdf_out_of_range', msg('errImportBitwardenKdfCostly'), { field: 'file' });
    throw damaged('errImportBitwardenKdf');
  }
}

export interface StretchedKey {
  enc: Uint8Array<ArrayBuffer>;
  mac: Uint8Array<ArrayBuffer>;
}

/**
 * Bitwarden's "PIN key" for exports: the KDF over the password with the file's `salt` string as
 * salt (SHA-256 of it for Argon2id), then HKDF-Expand (no extract) to a 32-byte encryption key
 * (`enc`) and a 32-byte MAC key (`mac`) (Bitwarden Security Whitepaper, "Encrypted exports";
 * bitwarden/sdk `PinKey::derive` and `stretch_key`).
 */
export async function bitwardenKey(password: string, salt: string, kdf: KdfChoice): Promise<StretchedKey> {
  const saltBytes = utf8Encode(salt);
  const master =
    kdf.name === 'PBKDF2-HMAC-SHA256'
      ? await pbkdf2Bits(password, saltBytes, kdf.iterations)
      : await argon2idBits(password, new Uint8Array(await crypto.subtle.digest('SHA-256', saltBytes)), kdf);
  try {
    return { enc: await hkdfExpand(master, 'enc'), mac: await hkdfExpand(master, 'mac') };
  } finally {
    master.fill(0);
  }
}

/** RFC 5869 HKDF-Expand alone, one block (T(1) = HMAC(PRK, info || 0x01)): the PRK is the KDF output. */
async function hkdfExpand(prk: Uint8Array<ArrayBuffer>, info: string): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', prk, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const input = new Uint8Array([...utf8Encode(info), 1]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, input));
}

/**
 * An "EncString" of type 2, `2.<iv>|<ciphertext>|<mac>`: AES-256-CBC with PKCS#7 padding, and
 * HMAC-SHA256 over iv || ciphertext. The MAC is checked first (encrypt-then-MAC; WebCrypto's
 * verify compares in constant time), so an altered file is refused before any decryption and no
 * padding oracle exists. A wrong password fails the same check.
 */
export async function openEncString(encString: unknown, key: StretchedKey): Promise<string> {
  if (typeof encString !== 'string') throw damaged('errImportBitwardenEncString');
  const match = /^2\.([^|]+)\|([^|]+)\|([^|]+)$/.exec(encString);
  if (!match) throw damaged('errImportBitwardenEncString');
  let iv: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>, mac: Uint8Array<ArrayBuffer>;
  try {
    [iv, data, mac] = [fromBase64(match[1]!, 'iv'), fromBase64(match[2]!, 'data'), fromBase64(match[3]!, 'mac')];
  } catch {
    throw damaged('errImportBitwardenEncString');
  }
  if (iv.length !== 16 || mac.length !== 32 || data.length === 0 || data.length % 16 !== 0) throw damaged('errImportBitwardenEncString');
  const macKey = await crypto.subtle.importKey('raw', key.mac, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const signed = new Uint8Array(iv.length + data.length);
  signed.set(iv);
  signed.set(data, iv.length);
  if (!(await crypto.subtle.verify('HMAC', macKey, mac, signed))) {
    throw new VaultError('import_password', msg('errImportBitwardenPassword'), { field: 'password' });
  }
  const aesKey = await crypto.subtle.importKey('raw', key.enc, 'AES-CBC', false, ['decrypt']);
  try {
    return utf8Decode(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, aesKey, data)));
  } catch {
    throw damaged('errImportBitwardenEncString');
  }
}
