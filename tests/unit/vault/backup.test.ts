import { beforeAll, describe, expect, it } from 'vitest';
import { decrypt, encrypt } from '../../../lib/toolkit';
import type { Vault } from '../../../lib/vault';
import { dumpAll, dumpText, makeVault, MASTER, rejection, type TestVault } from './helpers';

const BACKUP_PASSWORD = 'backup-Pass-2026';

describe('encrypted backup', () => {
  let source: TestVault;
  let vault: Vault;
  let backup: string;

  beforeAll(async () => {
    source = await makeVault();
    vault = source.vault;
    const { id } = await vault.createSafe('Billing');
    await vault.createEnvironment(id, 'QA', { protected: true });
    await vault.create({
      appName: 'Billing',
      envName: 'QA',
      secretPath: '/stripe',
      keyValuePairs: [{ key: 'STRIPE_KEY', value: 'sk_test_1', tags: ['payments'], comment: 'test mode' }],
    });
    await vault.create({ appName: 'Personal', envName: 'Production', keyValuePairs: { DB_URL: 'postgres://prod' } });
    await vault.update({ appName: 'Personal', envName: 'Production', key: 'DB_URL', value: 'postgres://mine', override: true });
    await vault.updateSettings({ autoLockMinutes: 60, clipboardClearSeconds: 10 });
    backup = await vault.exportBackup(BACKUP_PASSWORD);
  });

  it('is the Toolkit encrypt format and reveals nothing typed', async () => {
    const file = JSON.parse(backup) as Record<string, unknown>;
    expect(Object.keys(file).sort()).toEqual(['algorithm', 'ciphertext', 'iterations', 'iv', 'salt', 'tag']);
    expect(file).toMatchObject({ algorithm: 'AES-256-GCM', iterations: 600_000 });
    for (const typed of ['STRIPE_KEY', 'sk_test_1', 'Billing', 'postgres', BACKUP_PASSWORD, MASTER]) expect(backup).not.toContain(typed);
    // The Toolkit's own decrypt opens it; inside, the records are still vault ciphertexts.
    const { plaintext } = await decrypt({ ...(file as unknown as Parameters<typeof decrypt>[0]), password: BACKUP_PASSWORD });
    expect(JSON.parse(plaintext)).toMatchObject({ format: 'keysmith-vault-backup', version: 1 });
    for (const typed of ['STRIPE_KEY', 'sk_test_1', 'Billing', 'postgres']) expect(plaintext).not.toContain(typed);
  });

  it('restores everything into a fresh profile, locked until the master password is given', async () => {
    const fresh = await makeVault({ setup: false });
    await fresh.vault.restoreBackup(backup, BACKUP_PASSWORD);
    expect(await fresh.vault.isInitialised()).toBe(true);
    expect(await fresh.vault.isUnlocked()).toBe(false);
    await fresh.vault.unlock(MASTER); // settings are sealed with the vault key: readable once unlocked
    expect(await fresh.vault.getSettings()).toEqual({
      autoLockMinutes: 60,
      clipboardClearSeconds: 10,
      kdf: { name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4 },
      deviceName: 'Keysmith',
    });

    expect(await fresh.vault.listSafes()).toEqual(await vault.listSafes());
    for (const [appName, envName] of [
      ['Billing', 'QA'],
      ['Personal', 'Production'],
    ] as const) {
      expect(await fresh.vault.get({ appName, envName })).toEqual(await vault.get({ appName, envName }));
    }
    expect((await fresh.vault.get({ appName: 'Personal', envName: 'Production', keyToFind: 'DB_URL' }))[0]).toMatchObject({
      value: 'postgres://mine',
      overridden: true,
    });
    // And it keeps working as a vault.
    await fresh.vault.create({ appName: 'Billing', envName: 'QA', secretPath: '/stripe', keyValuePairs: { SECOND: '2' } });
    expect(await fresh.vault.get({ appName: 'Billing', envName: 'QA' })).toHaveLength(2);
  });

  it('a wrong password, a damaged file or a foreign file leaves the current vault exactly as it was', async () => {
    const receiver = await makeVault();
    await receiver.vault.create({ appName: 'Personal', envName: 'Development', keyValuePairs: { MINE: 'keep me' } });
    const before = dumpText(await dumpAll(receiver.factory));

    const wrong = await rejection(receiver.vault.restoreBackup(backup, 'not-the-backup-password', MASTER));
    expect([wrong.code, wrong.message]).toEqual(['backup_auth_failed', 'Wrong backup password, or the backup file is damaged']);

    const file = JSON.parse(backup) as Record<string, string>;
    const ct = file.ciphertext!;
    const flipped = ct[10] === 'A' ? 'B' : 'A';
    const damaged = JSON.stringify({ ...file, ciphertext: ct.slice(0, 10) + flipped + ct.slice(11) });
    expect((await rejection(receiver.vault.restoreBackup(damaged, BACKUP_PASSWORD, MASTER))).code).toBe('backup_auth_failed');
    expect((await rejection(receiver.vault.restoreBackup(backup.slice(0, 200), BACKUP_PASSWORD, MASTER))).code).toBe('backup_invalid');
    expect((await rejection(receiver.vault.restoreBackup(JSON.stringify({ ...file, iv: 'short' }), BACKUP_PASSWORD, MASTER))).code).toBe(
      'backup_invalid',
    );
    const foreign = JSON.stringify(await encrypt({ plaintext: '{"hello":"world"}', password: BACKUP_PASSWORD }));
    expect((await rejection(receiver.vault.restoreBackup(foreign, BACKUP_PASSWORD, MASTER))).code).toBe('backup_invalid');

    expect(dumpText(await dumpAll(receiver.factory))).toBe(before);
    expect((await receiver.vault.get({ appName: 'Personal', envName: 'Development' }))[0]!.value).toBe('keep me');

    // Anyone at the unlocked browser without the master password cannot wipe the vault with it.
    expect((await rejection(receiver.vault.restoreBackup(backup, BACKUP_PASSWORD))).field).toBe('masterPassword');
    const notOwner = await rejection(receiver.vault.restoreBackup(backup, BACKUP_PASSWORD, 'not-the-master-password'));
    expect(notOwner.code).toBe('wrong_password');
    // Larger than any backup: refused before any key derivation.
    const started = performance.now();
    const huge = await rejection(receiver.vault.restoreBackup('x'.repeat(48 * 1024 * 1024 + 1), BACKUP_PASSWORD, MASTER));
    expect([huge.code, huge.message]).toEqual(['backup_invalid', 'This file is larger than a Keysmith backup can be (at most 48 MiB)']);
    expect(performance.now() - started).toBeLessThan(200);
    const dump = await dumpAll(receiver.factory); // the wrong master password counted; nothing else changed
    expect(dumpText({ ...dump, meta: dump.meta.filter((r) => r.key !== 'throttle') })).toBe(before);

    // A good backup with the master password replaces the current vault wholesale and leaves it locked.
    await receiver.vault.restoreBackup(backup, BACKUP_PASSWORD, MASTER);
    expect(await receiver.vault.isUnlocked()).toBe(false);
    await receiver.vault.unlock(MASTER);
    expect(await receiver.vault.get({ appName: 'Personal', envName: 'Development' })).toEqual([]);
    expect((await receiver.vault.listSafes()).map((s) => s.name)).toEqual(['Personal', 'Billing']);
  });
});
