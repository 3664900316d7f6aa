// A master-password change on a vault that syncs, against a real server over HTTP: the server takes
// it first (re-authenticated), other devices' sessions end and they take the new password, and a
// change the server did not take leaves both sides as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, FAST_KDF, jsonResponse, MASTER, newVault, type Device } from './sync-helpers';

const NEXT = 'A-brand-new-master-password-7';

describe.each(backends)('master password of a vault that syncs (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function pair(): Promise<{ a: Device; b: Device; account: string }> {
    const a = await device();
    await newVault(a);
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { API_KEY: 'v1' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await device();
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    return { a, b, account };
  }

  const unlocksWith = async (d: Device, password: string) => {
    await d.vault.lock();
    return d.vault.unlock(password).then(
      () => true,
      () => false,
    );
  };

  it('changed on one device: the server takes it first, the other device is asked for it and then takes it too', async () => {
    const { a, b, account } = await pair();
    await a.engine.changeMasterPassword(MASTER, NEXT);
    // A keeps syncing with its session and the new auth secret.
    await a.vault.update({ safeName: 'Personal', envName: 'Development', key: 'API_KEY', value: 'v2' });
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0 });
    expect((await a.engine.syncNow()).lastError).toBeUndefined();

    // B's session was ended by the change, and its auth secret is the old one's.
    expect((await b.engine.syncNow()).lastError?.code).toBe('auth_failed');
    // B cannot change the password either: the server holds another one now; nothing changes on B.
    await expect(b.engine.changeMasterPassword(MASTER, 'Something-else-entirely-9')).rejects.toMatchObject({ code: 'auth_failed' });
    // A wrong new password is refused, and changes nothing.
    await expect(b.engine.adoptNewPassword('not the new one at all')).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await unlocksWith(b, MASTER)).toBe(true);

    const status = await b.engine.adoptNewPassword(NEXT);
    expect(status).toMatchObject({ waiting: 0, conflicts: 0, damaged: 0 });
    expect(status.lastError).toBeUndefined();
    expect(await contents(b.vault)).toContain('Personal/Development/API_KEY=v2');

    // Both devices: the new password unlocks, the old one no longer does; a third device signs in with the new.
    for (const d of [a, b]) {
      expect(await unlocksWith(d, MASTER)).toBe(false);
      expect(await unlocksWith(d, NEXT)).toBe(true);
    }
    const c = await device();
    await expect(c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER })).rejects.toMatchObject({
      code: 'wrong_password',
    });
    const d = await device();
    await d.engine.signIn({ serverUrl: server.url, email: account, masterPassword: NEXT });
    expect(await contents(d.vault)).toEqual(await contents(a.vault));
  });

  it("a server that answers the new password with a key that is not this vault's: refused, nothing taken", async () => {
    const { a, b } = await pair();
    await a.engine.changeMasterPassword(MASTER, NEXT);
    expect((await b.engine.syncNow()).lastError?.code).toBe('auth_failed');
    b.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname !== '/api/v1/auth/login' || !response.ok) return response;
      const body = await response.json();
      body.keys.wrappedVaultKey = Buffer.from(crypto.getRandomValues(new Uint8Array(60))).toString('base64');
      return jsonResponse(200, body);
    };
    await expect(b.engine.adoptNewPassword(NEXT)).rejects.toMatchObject({ code: 'damaged' });
    b.fault = undefined;
    expect(await unlocksWith(b, MASTER)).toBe(true);
    expect(await unlocksWith(b, NEXT)).toBe(false);
  });

  it('the server unreachable or refusing: nothing changes on this device or on the server', async () => {
    const { a, b } = await pair();
    a.fault = async () => {
      throw new TypeError('connection refused');
    };
    await expect(a.engine.changeMasterPassword(MASTER, NEXT)).rejects.toMatchObject({ code: 'unreachable' });
    a.fault = undefined;
    // A wrong current password is refused locally, before anything is sent.
    const before = a.requests.length;
    await expect(a.engine.changeMasterPassword('wrong-current-password', NEXT)).rejects.toMatchObject({ code: 'wrong_password' });
    expect(a.requests.length).toBe(before);
    expect(await unlocksWith(a, MASTER)).toBe(true);
    // The server still takes the old password: B syncs on, and A does too.
    expect((await b.engine.syncNow()).lastError).toBeUndefined();
    expect((await a.engine.syncNow()).lastError).toBeUndefined();
  });

  it('a KDF change on a vault that syncs reaches the server too', async () => {
    const { a, account } = await pair();
    const stronger = { name: 'Argon2id', memoryKiB: FAST_KDF.memoryKiB, passes: 3, parallelism: 1 } as const;
    await a.engine.changeMasterPassword(MASTER, MASTER, { kdf: stronger });
    const pre = await fetch(`${server.url}/api/v1/auth/prelogin?email=${encodeURIComponent(account)}`).then((r) => r.json());
    expect(pre.kdf).toMatchObject({ name: 'Argon2id', passes: 3 });
    const c = await device();
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await contents(c.vault)).toEqual(await contents(a.vault));
  });
});
