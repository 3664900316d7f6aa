import { describe, expect, it } from 'vitest';
import { KDF_MIN_ITERATIONS, VaultError, wrongPasswordDelayMs } from '../../../lib/vault';
import type { AccountRecord } from '../../../lib/vault/schema';
import { dumpAll, dumpText, editRecord, flipByte, getRecord, makeVault, MASTER, rejection, type Dump } from './helpers';

const APP = { appName: 'Personal', envName: 'Development' };

/** Everything except the wrong-password counter, which is the one thing a failure may change. */
function withoutThrottle(dump: Dump): string {
  return dumpText({ ...dump, meta: dump.meta.filter((r) => r.key !== 'throttle') });
}

describe('setup', () => {
  it('creates the Personal safe with Development, Staging and a protected Production, unlocked', async () => {
    const { vault } = await makeVault();
    expect(await vault.isInitialised()).toBe(true);
    expect(await vault.isUnlocked()).toBe(true);
    const safes = await vault.listSafes();
    expect(safes).toHaveLength(1);
    expect(safes[0]!.name).toBe('Personal');
    expect(safes[0]!.environments.map((e) => [e.name, e.protected])).toEqual([
      ['Development', false],
      ['Staging', false],
      ['Production', true],
    ]);
    expect((await rejection(vault.setup('another password'))).code).toBe('already_initialised');
    expect(await vault.getSettings()).toEqual({
      autoLockMinutes: 15,
      clipboardClearSeconds: 30,
      kdf: { name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4 },
      deviceName: 'Keysmith',
    });
  });

  it('refuses KDF parameters outside the floors and caps, and short passwords, before creating anything', async () => {
    const { vault } = await makeVault({ setup: false });
    const pbkdf2 = (iterations: number) => ({ kdf: { name: 'PBKDF2-HMAC-SHA256' as const, iterations } });
    const argon2 = (memoryKiB: number, passes: number, parallelism = 4) => ({
      kdf: { name: 'Argon2id' as const, memoryKiB, passes, parallelism },
    });
    expect((await rejection(vault.setup(MASTER, pbkdf2(100_000)))).code).toBe('kdf_below_floor');
    expect((await rejection(vault.setup(MASTER, pbkdf2(2_000_001)))).code).toBe('kdf_out_of_range');
    const memory = await rejection(vault.setup(MASTER, argon2(16_384, 3)));
    expect([memory.code, memory.field]).toEqual(['kdf_below_floor', 'memoryKiB']);
    expect(memory.message).toMatch(/16,384 < 19,456 KiB of Argon2id memory/);
    expect((await rejection(vault.setup(MASTER, argon2(65_536, 1)))).field).toBe('passes');
    expect((await rejection(vault.setup(MASTER, argon2(4_194_304, 3)))).code).toBe('kdf_out_of_range');
    expect((await rejection(vault.setup(MASTER, argon2(65_536, 3, 0)))).field).toBe('parallelism');
    expect((await rejection(vault.setup(MASTER, { kdf: { name: 'scrypt' } as never }))).field).toBe('kdf');
    expect((await rejection(vault.setup(''))).code).toBe('invalid_input');
    const short = await rejection(vault.setup('eleven-char'));
    expect([short.code, short.field, short.message]).toEqual([
      'invalid_input',
      'masterPassword',
      'Use at least 12 characters for the master password',
    ]);
    for (const safeName of ['  ', 'x'.repeat(129), 'two\nlines']) {
      const badName = await rejection(vault.setup(MASTER, { safeName }));
      expect([badName.code, badName.field]).toEqual(['invalid_input', 'safeName']);
    }
    expect(await vault.isInitialised()).toBe(false);
    expect((await rejection(vault.unlock(MASTER))).code).toBe('not_initialised');
    expect((await rejection(vault.listSafes())).code).toBe('locked');
  });

  it("names the first safe as the page asks, in the user's language", async () => {
    const { vault } = await makeVault({ setup: false });
    await vault.setup(MASTER, { safeName: 'Personnel' });
    expect((await vault.listSafes()).map((s) => s.name)).toEqual(['Personnel']);
  });
});

describe('unlock, lock and a restarted worker', () => {
  it('keeps no key in the database; a restarted worker rebuilds them from the session secret until lock()', async () => {
    const { vault, factory, session, reopen } = await makeVault();
    const [secret] = await vault.create({ ...APP, keyValuePairs: { TOKEN: 'tok-1' } });

    // The session secret is the vault key's bytes: it must appear nowhere in the database.
    const sessionSecret = await session.get();
    expect(sessionSecret).toHaveLength(32);
    const dump = dumpText(await dumpAll(factory));
    expect(dump).not.toContain(Buffer.from(sessionSecret!).toString('hex'));
    expect(dump).not.toContain('cryptoKey');

    // A stopped and restarted MV3 worker opens the database again and is still unlocked.
    const restarted = await reopen();
    expect(await restarted.isUnlocked()).toBe(true);
    expect(await restarted.revealSecret(secret!.id)).toEqual({ value: 'tok-1', overridden: false });

    await restarted.lock();
    expect(await session.get()).toBeUndefined();
    expect(await restarted.isUnlocked()).toBe(false);
    await vault.lock(); // the old worker is gone in a browser; here its memory is dropped by hand
    expect(await vault.isUnlocked()).toBe(false);
    expect((await rejection(vault.revealSecret(secret!.id))).code).toBe('locked');
    expect((await rejection(vault.get(APP))).code).toBe('locked');
    expect((await rejection(vault.create({ ...APP, keyValuePairs: { B: 'b' } }))).code).toBe('locked');

    const result = await vault.unlock(MASTER, { returnAuthSecret: true });
    expect(result.authSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(dumpText(await dumpAll(factory))).not.toContain(result.authSecret);
    expect(await vault.revealSecret(secret!.id)).toEqual({ value: 'tok-1', overridden: false });
  });

  it('a wrong master password says so and changes nothing but the failure counter', async () => {
    const { vault, factory } = await makeVault();
    await vault.create({ ...APP, keyValuePairs: { A: 'a' } });
    await vault.lock();
    const before = await dumpAll(factory);
    const error = await rejection(vault.unlock('not the password'));
    expect(error).toBeInstanceOf(VaultError);
    expect(error.code).toBe('wrong_password');
    expect(error.message).toBe('Wrong master password.');
    const after = await dumpAll(factory);
    expect(withoutThrottle(after)).toBe(withoutThrottle(before));
    expect(after.meta.find((r) => r.key === 'throttle')?.value).toMatchObject({ failures: 1 });
    expect(await vault.isUnlocked()).toBe(false);
  });
});

describe('wrong-password delay', () => {
  it('grows after repeated failures, survives a restart, refuses early attempts without running the KDF, and resets on success', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const { vault, reopen } = await makeVault({ now: clock });
    await vault.lock();

    expect((await rejection(vault.unlock('bad-1'))).retryAfterMs).toBeUndefined();
    expect((await rejection(vault.unlock('bad-2'))).retryAfterMs).toBeUndefined();
    const third = await rejection(vault.unlock('bad-3'));
    expect(third.code).toBe('wrong_password');
    expect(third.retryAfterMs).toBe(1000);
    expect(third.message).toBe('Wrong master password. Wait 1 s before trying again.');

    // Even the right password is refused while waiting; a restarted worker still knows.
    const restarted = await reopen(clock);
    const early = await rejection(restarted.unlock(MASTER));
    expect(early.code).toBe('throttled');
    expect(early.retryAfterMs).toBe(1000);
    expect(early.message).toMatch(/Try again in 1 s\./);

    now += 1000;
    const fourth = await rejection(vault.unlock('bad-4'));
    expect(fourth.retryAfterMs).toBe(2000);
    now += 500;
    expect((await rejection(vault.unlock(MASTER))).retryAfterMs).toBe(1500);
    now += 1500;
    await vault.unlock(MASTER);
    await vault.lock();
    expect((await rejection(vault.unlock('bad-again'))).retryAfterMs).toBeUndefined(); // counter was reset
  });

  it('doubles from 1 s after the third failure and caps at 5 minutes', () => {
    expect([1, 2, 3, 4, 5, 6].map(wrongPasswordDelayMs)).toEqual([0, 0, 1000, 2000, 4000, 8000]);
    expect(wrongPasswordDelayMs(50)).toBe(300_000);
  });
});

describe('downgrade protection', () => {
  it('refuses stored PBKDF2 parameters below the floor without deriving a key', async () => {
    const { vault, factory } = await makeVault({ setup: false });
    await vault.setup(MASTER, { kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000 } });
    await vault.lock();
    await editRecord<AccountRecord>(factory, 'meta', 'account', (a) => ({ ...a, kdf: { ...a.kdf, iterations: 100_000 } }));
    const started = performance.now();
    const error = await rejection(vault.unlock(MASTER));
    expect(error.code).toBe('kdf_below_floor');
    expect(error.message).toMatch(/^Vault parameters are below the minimum/);
    expect(performance.now() - started).toBeLessThan(100); // no PBKDF2 ran
    await editRecord<AccountRecord>(factory, 'meta', 'account', (a) => ({ ...a, kdf: { ...a.kdf, iterations: 50_000_000 } }));
    expect((await rejection(vault.unlock(MASTER))).code).toBe('kdf_out_of_range');
    expect(KDF_MIN_ITERATIONS).toBe(600_000);
  });

  it('refuses stored Argon2id parameters below the floor or above the caps without deriving a key', async () => {
    const { vault, factory } = await makeVault();
    await vault.lock();
    const tamper = (kdf: Record<string, number>) =>
      editRecord<AccountRecord>(factory, 'meta', 'account', (a) => ({ ...a, kdf: { ...a.kdf, ...kdf } }) as AccountRecord);
    await tamper({ memoryKiB: 1024 });
    const started = performance.now();
    const error = await rejection(vault.unlock(MASTER));
    expect([error.code, error.field]).toEqual(['kdf_below_floor', 'memoryKiB']);
    expect(performance.now() - started).toBeLessThan(100); // no Argon2id ran
    await tamper({ memoryKiB: 65_536, passes: 1 });
    expect((await rejection(vault.unlock(MASTER))).field).toBe('passes');
    await tamper({ passes: 3, memoryKiB: 8_388_608 }); // 8 GiB would exhaust the browser
    expect((await rejection(vault.unlock(MASTER))).code).toBe('kdf_out_of_range');
    await tamper({ memoryKiB: 65_536 });
    await vault.unlock(MASTER); // the genuine parameters still work
  });
});

describe('change master password', () => {
  it('re-wraps only the vault key: secrets untouched, old password refused, new one works', async () => {
    const { vault, factory } = await makeVault();
    const [secret] = await vault.create({ ...APP, keyValuePairs: { KEEP: 'kept-value' } });
    const before = await dumpAll(factory);

    expect((await rejection(vault.changeMasterPassword('wrong', 'next-password-1'))).code).toBe('wrong_password');
    expect((await rejection(vault.changeMasterPassword(MASTER, ''))).code).toBe('invalid_input');
    expect((await rejection(vault.changeMasterPassword(MASTER, 'short-pw'))).field).toBe('next');
    const pbkdf2 = (iterations: number) => ({ kdf: { name: 'PBKDF2-HMAC-SHA256' as const, iterations } });
    expect((await rejection(vault.changeMasterPassword(MASTER, 'next-password-1', pbkdf2(1000)))).code).toBe('kdf_below_floor');
    await vault.changeMasterPassword(MASTER, 'next-password-1', pbkdf2(700_000));

    const after = await dumpAll(factory);
    for (const store of ['secrets', 'safes', 'environments', 'indexes', 'overrides', 'orgs'] as const) {
      expect(dumpText({ [store]: after[store] } as Dump)).toBe(dumpText({ [store]: before[store] } as Dump));
    }
    const [oldAccount, newAccount] = [before, after].map((d) => d.meta.find((r) => r.key === 'account')!.value as AccountRecord);
    expect(oldAccount!.kdf.name).toBe('Argon2id');
    expect(newAccount!.kdf).toMatchObject({ name: 'PBKDF2-HMAC-SHA256', iterations: 700_000 });
    expect(Buffer.from(newAccount!.kdf.salt).equals(Buffer.from(oldAccount!.kdf.salt))).toBe(false);
    expect((await vault.getSettings()).kdf).toEqual({ name: 'PBKDF2-HMAC-SHA256', iterations: 700_000 });

    await vault.lock();
    expect((await rejection(vault.unlock(MASTER))).code).toBe('wrong_password');
    await vault.unlock('next-password-1');
    expect((await vault.revealSecret(secret!.id)).value).toBe('kept-value');
  });
});

describe('settings', () => {
  it('stores auto-lock and clipboard choices, sealed, for the unlocked owner only, and validates them', async () => {
    const { vault, reopen } = await makeVault();
    expect(await vault.updateSettings({ autoLockMinutes: null, clipboardClearSeconds: 45 })).toEqual({
      autoLockMinutes: null,
      clipboardClearSeconds: 45,
      kdf: { name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4 },
      deviceName: 'Keysmith',
    });
    expect(await (await reopen()).getSettings()).toMatchObject({ autoLockMinutes: null, clipboardClearSeconds: 45 });
    expect((await rejection(vault.updateSettings({ autoLockMinutes: 7 }))).field).toBe('autoLockMinutes');
    expect((await rejection(vault.updateSettings({ clipboardClearSeconds: -1 }))).field).toBe('clipboardClearSeconds');
    const iterations = await rejection(vault.updateSettings({ kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 800_000 } }));
    expect(iterations.code).toBe('invalid_input');
    expect(iterations.message).toMatch(/needs your master password/);
    await vault.updateSettings({ autoLockMinutes: 240 });
    expect((await vault.getSettings()).autoLockMinutes).toBe(240);
  });

  it('refuses a change while locked: someone at a locked browser cannot turn auto-lock off', async () => {
    const { vault, factory } = await makeVault();
    const before = dumpText(await dumpAll(factory));
    await vault.lock();
    expect((await rejection(vault.updateSettings({ autoLockMinutes: null }))).code).toBe('locked');
    expect((await rejection(vault.updateSettings({ clipboardClearSeconds: 0 }))).code).toBe('locked');
    expect((await rejection(vault.getSettings())).code).toBe('locked');
    expect(dumpText(await dumpAll(factory))).toBe(before);
  });

  it('keeps no setting in the clear, and obeys no edited record', async () => {
    const { vault, factory } = await makeVault();
    await vault.updateSettings({ autoLockMinutes: 60, clipboardClearSeconds: 90 });
    const stored = await getRecord<Record<string, unknown>>(factory, 'meta', 'settings');
    expect(Object.keys(stored)).toEqual(['sealed']);
    // An edit outside Keysmith fails authentication: the defaults apply, not the edit.
    await editRecord<{ sealed: { iv: Uint8Array; data: Uint8Array } }>(factory, 'meta', 'settings', (r) => ({
      sealed: { iv: r.sealed.iv, data: flipByte(r.sealed.data, 3) },
    }));
    expect(await vault.getSettings()).toMatchObject({ autoLockMinutes: 15, clipboardClearSeconds: 30 });
    // So does a sealed record moved from another vault (its account id is in the associated data).
    const other = await makeVault();
    await other.vault.updateSettings({ autoLockMinutes: null, clipboardClearSeconds: 0 });
    const foreign = await getRecord(other.factory, 'meta', 'settings');
    await editRecord(factory, 'meta', 'settings', () => foreign);
    expect(await vault.getSettings()).toMatchObject({ autoLockMinutes: 15, clipboardClearSeconds: 30 });
  });

  it('seals the clear record of a 0.1.0 vault at the next unlock, keeping its values', async () => {
    const { vault, factory } = await makeVault();
    await vault.lock();
    await editRecord(factory, 'meta', 'settings', () => ({ autoLockMinutes: 60, clipboardClearSeconds: 45 }));
    await vault.unlock(MASTER);
    expect(Object.keys(await getRecord<object>(factory, 'meta', 'settings'))).toEqual(['sealed']);
    expect(await vault.getSettings()).toMatchObject({ autoLockMinutes: 60, clipboardClearSeconds: 45 });
  });
});
