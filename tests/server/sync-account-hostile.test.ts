// A hostile sync server against the account itself: the KDF and salt it hands a device, the login
// proof it receives, and answers that never end, grow without bound, carry its own words or do not
// fit the API. Each answer is rewritten on its way to the device, as a server could.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncApi } from '../../lib/sync/client';
import { checkServerUrl } from '../../lib/sync/account';
import { boundAuthSecret } from '../../lib/sync/auth-secret';
import { MAX_PULL_PAGES } from '../../lib/sync/engine';
import { NEW_DEVICE_FLOOR } from '../../lib/sync/kdf-policy';
import { kdfToWire } from '../../lib/sync/account-link';
import { listenUrl } from '../../server/server';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, FAST_KDF, jsonResponse, MASTER, newVault, type Device } from './sync-helpers';

const PHISH = 'Your account is suspended: call +1 555 0100 and read out your master password';
const DEV = { safeName: 'Personal', envName: 'Development' };
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe.each(backends)('a hostile sync server and the account (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A device with a vault and one secret, linked to a new account through today's engine. */
  async function linked(): Promise<{ a: Device; account: string }> {
    const a = await device();
    await newVault(a);
    await a.vault.create({ ...DEV, keyValuePairs: { X: 'x-1' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    return { a, account };
  }

  /**
   * An account made the way Keysmith made them before the auth secret was bound: registered with
   * the unbound auth secret, and a device linked to it that holds that secret while unlocked.
   */
  async function legacyAccount(a: Device, kdf: Parameters<Device['vault']['setup']>[1] = { kdf: FAST_KDF }) {
    await a.vault.setup(MASTER, kdf);
    await a.vault.create({ ...DEV, keyValuePairs: { X: 'x-1' } });
    const account = email();
    const reg = await a.engine.local.registration(MASTER);
    const api = new SyncApi(server.url);
    const { org_id } = await api.register({ email: account, password: reg.authSecret, kdf: reg.kdf, keys: reg.keys });
    await a.engine.local.setSyncLink({ serverUrl: server.url, email: account, orgId: org_id });
    await a.engine.local.queueEverything();
    await a.engine.holdAuthSecret(reg.authSecret);
    return { account, unbound: reg.authSecret, api };
  }

  const loginStatus = async (account: string, password: string) =>
    (
      await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: account, password }),
      })
    ).status;

  const preloginAnswers = (d: Device, kdf: unknown) => {
    d.fault = async (url, _init, pass) => (url.pathname.endsWith('/prelogin') ? jsonResponse(200, { kdf }) : pass());
  };

  it('a new device refuses KDF parameters below the defaults, a salt not drawn at random and costs above the caps, before deriving or logging in', async () => {
    const { account } = await linked();
    const random = b64(randomBytes(16));
    const cases: [unknown, string][] = [
      // OWASP's PBKDF2 floor with one salt for every user: a cheap, shared offline guess.
      [{ name: 'PBKDF2-HMAC-SHA256', iterations: 600_000, salt: b64(new Uint8Array(16)) }, 'kdf_salt'],
      [{ name: 'PBKDF2-HMAC-SHA256', iterations: 600_000, salt: random }, 'kdf_below_floor'],
      [{ name: 'Argon2id', memoryKiB: 19_456, passes: 2, parallelism: 1, salt: random }, 'kdf_below_floor'],
      [{ name: 'Argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4, salt: b64(Buffer.from('abababababababab')) }, 'kdf_salt'],
      [{ name: 'Argon2id', memoryKiB: 1_048_576, passes: 10, parallelism: 4, salt: random }, 'kdf_out_of_range'],
    ];
    for (const [kdf, code] of cases) {
      const c = await device({ kdfFloor: NEW_DEVICE_FLOOR });
      preloginAnswers(c, kdf);
      const error = await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER }).catch((e: unknown) => e);
      expect(error, JSON.stringify(kdf)).toMatchObject({ code });
      expect(c.requests.filter((r) => r.includes('/login'))).toEqual([]);
      expect(await c.vault.isInitialised()).toBe(false);
    }
  });

  it('a device that has signed in refuses, when asked for the password again, a salt or weaker parameters its account never made, and sends no login', async () => {
    const { a, account } = await linked();
    const b = await device();
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const pinned = await b.vault.getKdfParams();
    for (const kdf of [
      kdfToWire({ ...pinned, salt: new Uint8Array(randomBytes(16)) }), // the same costs, another salt
      { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000, salt: b64(pinned.salt) }, // the same salt, weaker
    ]) {
      preloginAnswers(b, kdf);
      const before = b.requests.length;
      const error = await b.engine.adoptNewPassword(MASTER).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'kdf_changed' });
      expect(b.requests.slice(before).filter((r) => r.includes('/login'))).toEqual([]);
    }
    expect(await b.vault.getKdfParams()).toEqual(pinned);
    // A change the account did make (on device A, keeping the salt) is taken.
    b.fault = undefined;
    const next = 'Another-Master-Password-43!';
    await a.engine.changeMasterPassword(MASTER, next);
    expect((await a.vault.getKdfParams()).salt).toEqual(pinned.salt);
    await b.engine.adoptNewPassword(next);
    expect(await b.vault.getKdfParams()).toEqual(await a.vault.getKdfParams());
  });

  it('an account still on PBKDF2 moves to the default Argon2id at its next unlock, keeping its salt, so a new device at the defaults joins', async () => {
    const a = await device();
    const { account } = await legacyAccount(a, { kdf: { name: 'PBKDF2-HMAC-SHA256', iterations: 600_000 } });
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0 });
    const salt = (await a.vault.getKdfParams()).salt;
    const refused = await device({ kdfFloor: NEW_DEVICE_FLOOR });
    await expect(refused.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER })).rejects.toMatchObject({
      code: 'kdf_below_floor',
    });

    expect(await a.engine.upgradeKdf(MASTER)).toBe(true);
    expect(await a.engine.upgradeKdf(MASTER)).toBe(false); // nothing left to do
    expect(await a.vault.getKdfParams()).toMatchObject({ name: 'Argon2id', memoryKiB: 65_536, passes: 3, salt });
    const c = await device({ kdfFloor: NEW_DEVICE_FLOOR });
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await contents(c.vault)).toEqual(await contents(a.vault));
  });

  it('an account made before the auth secret was bound moves to the bound form at its next sign-in, from a linked device and from a new one', async () => {
    for (const from of ['linked device', 'new device'] as const) {
      const a = await device();
      const { account, unbound } = await legacyAccount(a);
      expect(await loginStatus(account, unbound)).toBe(200);
      if (from === 'linked device') {
        expect(await a.engine.syncNow()).toMatchObject({ waiting: 0 });
        expect(await a.engine.local.getSyncLink()).toMatchObject({ authBound: true });
      } else {
        const c = await device();
        await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
        expect(await c.engine.local.getSyncLink()).toMatchObject({ authBound: true });
      }
      expect(await loginStatus(account, unbound), from).toBe(401);
      expect(await loginStatus(account, await boundAuthSecret(unbound, server.url, account)), from).toBe(200);
    }
  });

  it('server A cannot sign in to server B with the login proofs it received', async () => {
    const { account } = await linked(); // on B
    const received: string[] = [];
    const c = await device();
    // Server A copies B's KDF and salt for this e-mail, so the device derives exactly what it would for B.
    c.fault = async (url, init) => {
      if (url.pathname.endsWith('/prelogin')) return fetch(`${server.url}${url.pathname}${url.search}`);
      if (url.pathname.endsWith('/login')) received.push(JSON.parse(String(init.body)).password);
      return jsonResponse(401, { error: { code: 'unauthorized', message: 'Wrong e-mail or password.' } });
    };
    await expect(c.engine.signIn({ serverUrl: 'https://server-a.example', email: account, masterPassword: MASTER })).rejects.toMatchObject({
      code: 'wrong_password',
    });
    expect(received.length).toBeGreaterThan(0);
    for (const password of received) expect(await loginStatus(account, password)).toBe(401);
  });

  it('a server that answers "more" for ever: one run follows at most MAX_PULL_PAGES pages, then reports the answer as not accepted', async () => {
    const { a } = await linked();
    let pulls = 0;
    a.fault = async (url, _init, pass) => {
      if (url.pathname !== '/api/v1/sync') return pass();
      pulls++;
      return jsonResponse(200, { items: [], cursor: `c${pulls}`, hasMore: true, snapshot: false, fullResync: false });
    };
    const status = await a.engine.syncNow();
    expect(status.lastError).toMatchObject({ code: 'bad_answer' });
    expect(pulls).toBe(MAX_PULL_PAGES);
  });

  it('an answer larger than Keysmith reads, or one that trickles, is cut off and reported', async () => {
    const { a } = await linked();
    // 40 MiB of valid JSON, streamed without a length: read up to the cap, then dropped.
    const pad = new TextEncoder().encode('x'.repeat(1 << 20));
    a.fault = async (url, _init, pass) => {
      if (url.pathname !== '/api/v1/sync') return pass();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0)
            controller.enqueue(
              new TextEncoder().encode('{"items":[],"cursor":"c","hasMore":false,"snapshot":false,"fullResync":false,"pad":"'),
            );
          else if (sent > 40) {
            controller.enqueue(new TextEncoder().encode('"}'));
            controller.close();
          } else controller.enqueue(pad);
          sent++;
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    expect((await a.engine.syncNow()).lastError).toMatchObject({ code: 'bad_answer' });

    // A byte every 200 ms, for ever: the request's time (2 s for these devices) covers the body too.
    a.fault = async (url, _init, pass) => {
      if (url.pathname !== '/api/v1/sync') return pass();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          await new Promise((r) => setTimeout(r, 200));
          controller.enqueue(new TextEncoder().encode(' '));
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const started = Date.now();
    expect((await a.engine.syncNow()).lastError).toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("the server's own words reach neither the status nor a form", async () => {
    const { a, account } = await linked();
    a.fault = async (url, _init, pass) =>
      url.pathname === '/api/v1/sync' ? jsonResponse(403, { error: { code: 'forbidden', message: PHISH } }) : pass();
    const status = await a.engine.syncNow();
    expect(status.lastError).toMatchObject({ code: 'server_refused', status: 403 });
    expect(JSON.stringify(status)).not.toContain('+1 555');

    const c = await device();
    c.fault = async () => jsonResponse(400, { error: { code: 'invalid_input', message: PHISH } });
    const error = (await c.engine
      .signIn({ serverUrl: server.url, email: account, masterPassword: MASTER })
      .catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'server_error' });
    expect(String(error.message)).not.toContain('+1 555');
    expect(JSON.stringify(error)).not.toContain('+1 555');
  });

  it('answers that do not fit the wire contract are server failures and change nothing', async () => {
    const { a } = await linked();
    const b = await device();
    await b.engine.signIn({ serverUrl: server.url, email: (await a.engine.local.getSyncLink())!.email, masterPassword: MASTER });
    const before = await contents(b.vault);
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    // A page whose items have no revision.
    b.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname !== '/api/v1/sync') return response;
      const body = await response.json();
      for (const item of body.items) delete item.revision;
      return jsonResponse(200, body);
    };
    expect((await b.engine.syncNow()).lastError).toMatchObject({ code: 'bad_answer' });
    expect(await contents(b.vault)).toEqual(before);

    // A push answered for items it did not send: the change stays waiting.
    await b.vault.update({ ...DEV, key: 'X', value: 'x-b' });
    b.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname !== '/api/v1/items/batch') return response;
      const body = await response.json();
      for (const result of body.results) result.id = `${result.id}-other`;
      return jsonResponse(200, body);
    };
    const status = await b.engine.syncNow();
    expect(status.lastError).toMatchObject({ code: 'bad_answer' });
    expect(status.waiting).toBeGreaterThan(0);
  });

  it('a lock while a login is in flight leaves no credentials in storage.session', async () => {
    const { a } = await linked();
    const { authSecret } = await a.engine.local.registration(MASTER);
    await a.engine.forget();
    await a.engine.holdAuthSecret(authSecret); // unlocked, no token yet: the next run logs in
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loggingIn!: () => void;
    const started = new Promise<void>((resolve) => (loggingIn = resolve));
    a.fault = async (url, _init, pass) => {
      if (url.pathname.endsWith('/login')) {
        loggingIn();
        await gate;
      }
      return pass();
    };
    const run = a.engine.syncNow();
    await started;
    await a.vault.lock();
    await a.engine.forget();
    release();
    await run;
    expect(await a.credentials.get()).toBeUndefined();
  });
});

describe('a server on [::1]', () => {
  it('is reached as localhost over plain http, refused over https with the address to use, and the server prints its address in brackets', () => {
    expect(checkServerUrl('http://[::1]:8080')).toBe('http://localhost:8080');
    expect(() => checkServerUrl('https://[::1]:8443')).toThrow(/https:\/\/localhost:8443/);
    expect(checkServerUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(listenUrl('::1', 8080)).toBe('http://[::1]:8080');
    expect(listenUrl('127.0.0.1', 8080)).toBe('http://127.0.0.1:8080');
  });
});
