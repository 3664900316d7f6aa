import { describe, expect, it } from 'vitest';
import { KDF_MIN_ITERATIONS, VaultError, wrongPasswordDelayMs } from '../../../lib/vault';
import type { AccountRecord, SessionRecord } from '../../../lib/vault/schema';
import { dumpAll, dumpText, editRecord, makeVault, MASTER, rejection, type Dump } from './helpers';

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
    expect((await rejection(vault.setup('another'))).code).toBe('already_initialised');
    expect(await vault.getSettings()).toEqual({ autoLockMinutes: 15, clipboardClearSeconds: 30, iterations: 600_000 });
  });

  it('refuses iteration counts outside 600,000–2,000,000 and an empty password before creating anything', async () => {
    const { vault } = await makeVault({ setup: false });
    expect((await rejection(vault.setup(MASTER, { iterations: 100_000 }))).code).toBe('kdf_below_floor');
    expect((await rejection(vault.setup(MASTER, { iterations: 2_000_001 }))).code).toBe('kdf_out_of_range');
    expect((await rejection(vault.setup(''))).code).toBe('invalid_input');
    expect(await vault.isInitialised()).toBe(false);
    expect((await rejection(vault.unlock(MASTER))).code).toBe('not_initialised');
    expect((await rejection(vault.listSafes())).code).toBe('locked');
  });
});

describe('unlock, lock and a restarted worker', () => {
  it('keeps non-extractable keys in the session store across instances until lock()', async () => {
    const { vault, factory, reopen } = await makeVault();
    const [secret] = await vault.create({ ...APP, keyValuePairs: { TOKEN: 'tok-1' } });

    const dump = await dumpAll(factory);
    expect(dump.session.length).toBeGreaterThanOrEqual(2); // vault key + one safe key
    for (const { value } of dump.session) {
      const key = (value as SessionRecord).key;
      expect(key).toBeInstanceOf(CryptoKey);
      expect(key.extractable).toBe(false);
      await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    }

    // A stopped and restarted MV3 worker opens the database again and is still unlocked.
    const restarted = await reopen();
    expect(await restarted.isUnlocked()).toBe(true);
    expect(await restarted.revealSecret(secret!.id)).toEqual({ value: 'tok-1', overridden: false });

    await restarted.lock();
    expect((await dumpAll(factory)).session).toEqual([]);
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
    expect(third.message).toBe('Wrong master password. Wait 1 second before trying again.');

    // Even the right password is refused while waiting; a restarted worker still knows.
    const restarted = await reopen(clock);
    const early = await rejection(restarted.unlock(MASTER));
    expect(early.code).toBe('throttled');
    expect(early.retryAfterMs).toBe(1000);
    expect(early.message).toMatch(/Try again in 1 second/);

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
  it('refuses stored parameters below the floor without deriving a key', async () => {
    const { vault, factory } = await makeVault();
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
});

describe('change master password', () => {
  it('re-wraps only the vault key: secrets untouched, old password refused, new one works', async () => {
    const { vault, factory } = await makeVault();
    const [secret] = await vault.create({ ...APP, keyValuePairs: { KEEP: 'kept-value' } });
    const before = await dumpAll(factory);

    expect((await rejection(vault.changeMasterPassword('wrong', 'next-password-1'))).code).toBe('wrong_password');
    expect((await rejection(vault.changeMasterPassword(MASTER, ''))).code).toBe('invalid_input');
    expect((await rejection(vault.changeMasterPassword(MASTER, 'x', { iterations: 1000 }))).code).toBe('kdf_below_floor');
    await vault.changeMasterPassword(MASTER, 'next-password-1', { iterations: 700_000 });

    const after = await dumpAll(factory);
    for (const store of ['secrets', 'safes', 'environments', 'indexes', 'overrides', 'orgs'] as const) {
      expect(dumpText({ [store]: after[store] } as Dump)).toBe(dumpText({ [store]: before[store] } as Dump));
    }
    const [oldAccount, newAccount] = [before, after].map((d) => d.meta.find((r) => r.key === 'account')!.value as AccountRecord);
    expect(newAccount!.kdf.iterations).toBe(700_000);
    expect(Buffer.from(newAccount!.kdf.salt).equals(Buffer.from(oldAccount!.kdf.salt))).toBe(false);
    expect((await vault.getSettings()).iterations).toBe(700_000);

    await vault.lock();
    expect((await rejection(vault.unlock(MASTER))).code).toBe('wrong_password');
    await vault.unlock('next-password-1');
    expect((await vault.revealSecret(secret!.id)).value).toBe('kept-value');
  });
});

describe('settings', () => {
  it('stores auto-lock and clipboard choices, readable while locked, and validates them', async () => {
    const { vault, reopen } = await makeVault();
    expect(await vault.updateSettings({ autoLockMinutes: null, clipboardClearSeconds: 45 })).toEqual({
      autoLockMinutes: null,
      clipboardClearSeconds: 45,
      iterations: 600_000,
    });
    await vault.lock();
    expect(await (await reopen()).getSettings()).toMatchObject({ autoLockMinutes: null, clipboardClearSeconds: 45 });
    expect((await rejection(vault.updateSettings({ autoLockMinutes: 7 }))).field).toBe('autoLockMinutes');
    expect((await rejection(vault.updateSettings({ clipboardClearSeconds: -1 }))).field).toBe('clipboardClearSeconds');
    const iterations = await rejection(vault.updateSettings({ iterations: 800_000 }));
    expect(iterations.code).toBe('invalid_input');
    expect(iterations.message).toMatch(/needs your master password/);
    await vault.updateSettings({ autoLockMinutes: 240 });
    expect((await vault.getSettings()).autoLockMinutes).toBe(240);
  });
});
