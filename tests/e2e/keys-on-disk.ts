// Searching a browser profile for the vault's keys: the keys are derived here from the master
// password and the stored records, with Node's crypto (and lib's Argon2id), independently of the
// extension, then looked for in every file of the profile as raw bytes, hex and base64.
import { createDecipheriv, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { argon2idBits } from '../../lib/crypto/argon2';

export interface Wrapped {
  iv: number[];
  data: number[];
}
export interface StoredKeys {
  account: { id: string; kdf: Record<string, unknown> & { salt: number[] }; wrappedVaultKey: Wrapped };
  safes: { id: string; wrappedKey: Wrapped }[];
}

function aesGcmOpen(key: Uint8Array, { iv, data }: Wrapped, ad: string): Buffer {
  const bytes = Buffer.from(data);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv));
  decipher.setAAD(Buffer.from(ad));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
}

/** KDF → HKDF → unwrap, with Node's crypto (and lib's Argon2id): the vault key and every safe key. */
export async function deriveKeys(stored: StoredKeys, password: string): Promise<Map<string, Buffer>> {
  const { kdf } = stored.account;
  const salt = new Uint8Array(kdf.salt);
  const master =
    kdf.name === 'Argon2id'
      ? await argon2idBits(password, salt, kdf as never)
      : pbkdf2Sync(password, salt, kdf.iterations as number, 32, 'sha256');
  const wrapKey = Buffer.from(hkdfSync('sha256', master, new Uint8Array(0), 'keysmith/v1/wrap-key', 32));
  const vaultKey = aesGcmOpen(wrapKey, stored.account.wrappedVaultKey, `keysmith/v1/account/${stored.account.id}/vault-key`);
  const keys = new Map([['vault key', vaultKey]]);
  for (const safe of stored.safes)
    keys.set(`safe key ${safe.id}`, aesGcmOpen(vaultKey, safe.wrappedKey, `keysmith/v1/safe/${safe.id}/key`));
  return keys;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() && statSync(path).size > 0 ? [path] : [];
  });
}

/** Every place in the profile where a key appears, as raw bytes, hex or base64. */
export function findKeys(profile: string, keys: Map<string, Buffer>): string[] {
  const found: string[] = [];
  for (const file of filesUnder(profile)) {
    const content = readFileSync(file);
    for (const [name, key] of keys) {
      for (const form of [key, Buffer.from(key.toString('hex')), Buffer.from(key.toString('base64'))]) {
        if (content.includes(form)) found.push(`${name} in ${file.slice(profile.length)}`);
      }
    }
  }
  return found;
}

/**
 * Runs in the browser, in any of the extension's contexts (pass it to evaluate): the account record
 * and the safes' wrapped keys, read from IndexedDB as anyone with the profile could, as plain arrays.
 */
export async function readStoredKeys(): Promise<StoredKeys> {
  const db: IDBDatabase = await new Promise((resolve, reject) => {
    const request = indexedDB.open('keysmith-vault');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const read = (store: string, key?: IDBValidKey) =>
    new Promise<unknown>((resolve) => {
      const os = db.transaction(store).objectStore(store);
      const request = key === undefined ? os.getAll() : os.get(key);
      request.onsuccess = () => resolve(request.result);
    });
  const plain = (value: unknown): unknown =>
    value instanceof Uint8Array
      ? Array.from(value)
      : Array.isArray(value)
        ? value.map(plain)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
          : value;
  const result = plain({ account: await read('meta', 'account'), safes: await read('safes') });
  db.close();
  return result as StoredKeys;
}
