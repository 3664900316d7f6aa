import { describe, expect, it } from 'vitest';
import { readImport } from '../../../lib/import';
import { fixture, failure, text } from './helpers';

// The fixtures were written by make-bitwarden-protected.mjs with Node's crypto and @noble/hashes,
// not with lib/import: reading them back checks the key derivation and the EncString against an
// independent implementation of Bitwarden's format.
const PASSWORD = 'correct horse battery staple';
const decode = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
const encode = (o: unknown) => text(JSON.stringify(o));

describe('password-protected Bitwarden exports', () => {
  it('opens PBKDF2 and Argon2id exports to the same secrets as the plain one', async () => {
    const plain = await readImport(fixture('bitwarden.json'));
    for (const name of ['bitwarden-protected-pbkdf2.json', 'bitwarden-protected-argon2.json']) {
      expect(await readImport(fixture(name), { password: PASSWORD })).toEqual(plain);
    }
  }, 30_000);

  it('refuses a wrong password, a missing one and an account-restricted export, each with its own message', async () => {
    const wrong = await failure(readImport(fixture('bitwarden-protected-pbkdf2.json'), { password: 'Correct horse battery staple' }));
    expect([wrong.code, wrong.message]).toEqual(['import_password', 'Wrong password for this Bitwarden export, or the file was altered']);
    expect((await failure(readImport(fixture('bitwarden-protected-pbkdf2.json')))).message).toBe(
      'This Bitwarden export is password-protected: enter its password',
    );
    const account = { encrypted: true, encKeyValidation_DO_NOT_EDIT: '2.a|b|c', folders: [], items: [] };
    expect(await failure(readImport(encode(account)))).toMatchObject({
      code: 'import_damaged',
      message: expect.stringMatching(/locked to its Bitwarden account/),
    });
  }, 30_000);

  it('refuses an altered ciphertext before decrypting it (encrypt-then-MAC)', async () => {
    const file = decode(fixture('bitwarden-protected-pbkdf2.json'));
    const [iv, data, mac] = (file.data as string).slice(2).split('|') as [string, string, string];
    const bytes = Buffer.from(data, 'base64');
    bytes[0]! ^= 1;
    file.data = `2.${iv}|${bytes.toString('base64')}|${mac}`;
    expect((await failure(readImport(encode(file), { password: PASSWORD }))).code).toBe('import_password');
    file.data = 'not an EncString';
    expect((await failure(readImport(encode(file), { password: PASSWORD }))).message).toMatch(/an encrypted field cannot be read/);
  }, 30_000);

  // Bitwarden's importer took any Argon2 memory and passes from the file (bitwarden/clients PR #23039):
  // a crafted export could freeze the browser or make the password cheap to guess.
  it('holds the KDF parameters to the floors and caps of backups, before deriving anything', async () => {
    const file = decode(fixture('bitwarden-protected-argon2.json'));
    const cases: [Record<string, unknown>, string][] = [
      [{ kdfMemory: 1_048_576 }, 'kdf_out_of_range'], // 1 TiB
      [{ kdfIterations: 1_000_000 }, 'kdf_out_of_range'],
      [{ kdfParallelism: 255 }, 'kdf_out_of_range'],
      [{ kdfMemory: 1 }, 'kdf_below_floor'],
      [{ kdfIterations: 1 }, 'kdf_below_floor'],
      [{ kdfType: 0, kdfIterations: 5_000 }, 'kdf_below_floor'],
      [{ kdfType: 0, kdfIterations: 1e12 }, 'kdf_out_of_range'],
      [{ kdfType: 7 }, 'import_damaged'],
      [{ kdfMemory: '64' }, 'import_damaged'],
    ];
    for (const [change, code] of cases) {
      const started = performance.now();
      const error = await failure(readImport(encode({ ...file, ...change }), { password: PASSWORD }));
      expect([change, error.code]).toEqual([change, code]);
      expect(performance.now() - started).toBeLessThan(200); // refused, not derived
    }
    expect((await failure(readImport(encode({ ...file, kdfType: 0, kdfIterations: 100_000 }), { password: PASSWORD }))).message).toBe(
      "This Bitwarden export's key derivation is weaker than Keysmith accepts: in Bitwarden, strengthen it (Settings → Security → Keys: Argon2id, or PBKDF2 with at least 600,000 iterations), then export again",
    );
  });
});
