import { describe, expect, it } from 'vitest';
import { aesGcmEncrypt } from '../../../lib/crypto/aes-gcm';
import { toBase64, utf8Encode } from '../../../lib/crypto/encoding';
import { pbkdf2AesKey } from '../../../lib/crypto/kdf';
import { randomBytes } from '../../../lib/crypto/random';
import { decrypt, encrypt } from '../../../lib/toolkit';
import { toolkitFields } from '../../../lib/toolkit-ops/encrypt';
import { dumpAll, makeVault, MASTER, rejection } from './helpers';

const PASSWORD = 'backup-Pass-2026';

/** Re-seals a backup's inner document, as an attacker who knows the backup password could. */
async function reseal(backup: string, edit: (doc: Record<string, unknown>) => void, iterations?: number): Promise<string> {
  const { plaintext } = await decrypt({ ...JSON.parse(backup), password: PASSWORD });
  const doc = JSON.parse(plaintext) as Record<string, unknown>;
  edit(doc);
  const text = JSON.stringify(doc);
  if (iterations === undefined) return JSON.stringify(await encrypt({ plaintext: text, password: PASSWORD }));
  const salt = randomBytes(16);
  const sealed = await aesGcmEncrypt(await pbkdf2AesKey(PASSWORD, salt, iterations), utf8Encode(text));
  return JSON.stringify({
    ...toolkitFields(sealed),
    salt: toBase64(salt),
    iterations,
    algorithm: 'AES-256-GCM',
  });
}

describe('backup hardening', () => {
  it('refuses a backup whose own KDF is below the floor, before deriving anything', async () => {
    const { vault, factory } = await makeVault();
    const weak = await reseal(await vault.exportBackup(PASSWORD), () => {}, 1_000);
    const before = await dumpAll(factory);
    expect(await rejection(vault.restoreBackup(weak, PASSWORD, MASTER))).toMatchObject({ code: 'kdf_below_floor' });
    expect(await dumpAll(factory)).toEqual(before);
  });

  it('refuses settings no user could have chosen', async () => {
    const { vault, factory } = await makeVault();
    const crafted = await reseal(await vault.exportBackup(PASSWORD), (doc) => {
      const meta = (doc.stores as { meta: [string, Record<string, unknown>][] }).meta;
      const settings = meta.find(([name]) => name === 'settings');
      if (settings) settings[1].autoLockMinutes = 'never';
      else meta.push(['settings', { autoLockMinutes: 'never', clipboardClearSeconds: 30 }]);
    });
    const before = await dumpAll(factory);
    expect(await rejection(vault.restoreBackup(crafted, PASSWORD, MASTER))).toMatchObject({ code: 'backup_invalid' });
    expect(await dumpAll(factory)).toEqual(before);
  });

  it('will not replace a locked vault', async () => {
    const { vault, factory } = await makeVault();
    const backup = await vault.exportBackup(PASSWORD);
    await vault.lock();
    const before = await dumpAll(factory);
    expect(await rejection(vault.restoreBackup(backup, PASSWORD, MASTER))).toMatchObject({ code: 'locked' });
    expect(await dumpAll(factory)).toEqual(before);
    await vault.unlock(MASTER);
    await vault.restoreBackup(backup, PASSWORD, MASTER);
    expect(await vault.isUnlocked()).toBe(false);
  });
});
