// A hostile sync server (or network): whatever it sends, a device never reveals, moves, downgrades,
// rolls back or silently replaces a secret (ETH Zurich, "Zero Knowledge (About) Encryption",
// USENIX Security 2026). Each answer is rewritten on its way to the device, as a server could.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, injectIntoPulls, jsonResponse, MASTER, newVault, rewritePulls, type Device } from './sync-helpers';

describe.each(backends)('a hostile sync server (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const DEV = { safeName: 'Personal', envName: 'Development' };

  async function pair(): Promise<{ a: Device; b: Device; account: string; seen: Map<string, Record<string, any>[]> }> {
    const a = await device();
    await newVault(a);
    await a.vault.create({ ...DEV, keyValuePairs: { X: 'x-1', Y: 'y-1' } });
    await a.vault.create({ safeName: 'Personal', envName: 'Production', keyValuePairs: { PROD_KEY: 'p-1' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await device();
    // Every item version B has been sent, by id: what a server could replay.
    const seen = new Map<string, Record<string, any>[]>();
    b.fault = rewritePulls((items) => {
      for (const item of items) seen.set(item.id, [...(seen.get(item.id) ?? []), structuredClone(item)]);
    });
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    return { a, b, account, seen };
  }

  const idOf = async (d: Device, key: string) => (await d.vault.search(key)).hits.find((h) => h.key === key)!.id;
  const envId = async (d: Device, name: string) => (await d.vault.listSafes())[0]!.environments.find((e) => e.name === name)!.id;

  it('a secret the server moves to another environment is refused, and stays where it was', async () => {
    const { a, b, account } = await pair();
    const before = await contents(b.vault);
    const staging = await envId(b, 'Staging');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    b.fault = rewritePulls((items) => {
      for (const item of items) if (item.kind === 'secret') item.ciphertext.env = staging;
    });
    const status = await b.engine.syncNow();
    expect(status.damaged).toBe(1);
    expect(await contents(b.vault)).toEqual(before); // x-1 in Development, nothing in Staging

    // A new device has no copy to compare with: the binding alone refuses every moved secret.
    const c = await device();
    c.fault = rewritePulls((items) => {
      for (const item of items) if (item.kind === 'secret') item.ciphertext.env = staging;
    });
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await contents(c.vault)).toEqual([]);
    expect((await c.engine.status()).damaged).toBe(3);
  });

  it("Production's protected flag cannot be flipped, not even with another environment's genuine flags", async () => {
    const { a, b, account } = await pair();
    const dev = await envId(a, 'Development');
    await a.vault.updateEnvironment(await envId(a, 'Production'), { name: 'Production' }); // a new version to send
    await a.vault.updateEnvironment(dev, { name: 'Development' });
    await a.engine.syncNow();
    let devFlags: string | undefined;
    const swapFlags = rewritePulls((items) => {
      devFlags ??= items.find((i) => i.id === dev)?.ciphertext.flags;
      for (const item of items) if (item.kind === 'environment' && item.id !== dev && devFlags) item.ciphertext.flags = devFlags;
    });
    b.fault = swapFlags;
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect((await b.vault.listSafes())[0]!.environments.map((e) => [e.name, e.protected])).toEqual([
      ['Development', false],
      ['Staging', false],
      ['Production', true],
    ]);
    // A new device given the swapped flags never shows an unprotected Production (nor its secrets).
    const c = await device();
    c.fault = swapFlags;
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const envs = (await c.vault.listSafes())[0]!.environments;
    expect(envs.find((e) => e.name === 'Production')).toBeUndefined();
    expect((await c.engine.status()).damaged).toBeGreaterThan(0);
    expect((await contents(c.vault)).some((line) => line.includes('PROD_KEY'))).toBe(false);
  });

  it('an old revision replayed as new is refused: the value, and an override switched off, stay as they are', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.vault.update({ ...DEV, key: 'Y', value: 'y-mine', override: true });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.vault.update({ ...DEV, key: 'X', value: 'x-3' });
    await a.vault.update({ ...DEV, key: 'Y', toggleOverride: true }); // off
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(await contents(b.vault)).toEqual(expect.arrayContaining(['Personal/Development/X=x-3', 'Personal/Development/Y=y-1']));
    const y = await idOf(a, 'Y');
    const oldX = seen.get(x)!.find((i) => i.ciphertext.ver === '2')!;
    const oldOverride = seen.get(`${y}.override`)!.find((i) => i.ciphertext.ver === '1')!; // active
    b.fault = async (url, _init, pass) => {
      if (url.pathname !== '/api/v1/sync') return pass();
      const response = await pass();
      const body = await response.json();
      body.items.push({ ...oldX, revision: 99 }, { ...oldOverride, revision: 99 });
      return jsonResponse(200, body);
    };
    expect((await b.engine.syncNow()).damaged).toBe(2);
    expect(await contents(b.vault)).toEqual(expect.arrayContaining(['Personal/Development/X=x-3', 'Personal/Development/Y=y-1']));
  });

  const inject = injectIntoPulls;
  const tombstoneFor = (item: Record<string, any>, ciphertext: Record<string, string> = {}) => ({
    id: item.id,
    safe_id: item.safe_id,
    kind: item.kind,
    deleted: true,
    ciphertext,
    updated_at: item.updated_at,
  });

  it('rollback: a deletion the server invents is refused, and the old copy it replays next as well', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    await a.vault.update({ ...DEV, key: 'X', value: 'x-3' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const first = seen.get(x)!.find((i) => i.ciphertext.ver === '1')!;
    // An unsealed tombstone, then one claiming a version above B's: neither is a deletion any device made.
    for (const forged of [tombstoneFor(first), tombstoneFor(first, { ver: '7' })]) {
      b.fault = inject(() => [forged]);
      expect((await b.engine.syncNow()).damaged).toBe(1);
      expect(await contents(b.vault)).toContain('Personal/Development/X=x-3');
    }
    b.fault = inject(() => [first]);
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect(await contents(b.vault)).toContain('Personal/Development/X=x-3');
  });

  it('resurrection: a secret deleted for real does not come back with a copy the server kept', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
    const last = seen
      .get(x)!
      .filter((i) => !i.deleted)
      .at(-1)!;
    expect(last.ciphertext.value).toBeDefined();
    b.fault = inject(() => [last]);
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
    // Nor on the device that deleted it.
    a.fault = inject(() => [last]);
    expect((await a.engine.syncNow()).damaged).toBe(1);
    expect((await contents(a.vault)).some((line) => line.includes('/X='))).toBe(false);
  });

  it('a deletion the server invents for Production, or for the whole safe, is refused: nothing disappears', async () => {
    const { a, b } = await pair();
    const before = await contents(b.vault);
    const prod = await envId(b, 'Production');
    const safeId = (await b.vault.listSafes())[0]!.id;
    // Well-formed items (the wire contract turns a malformed page away before anything is applied).
    const updated_at = new Date().toISOString();
    const env = { id: prod, safe_id: safeId, kind: 'environment', updated_at };
    const safe = { id: safeId, safe_id: safeId, kind: 'safe', updated_at };
    b.fault = inject(() => [tombstoneFor(env, { ver: '9' }), tombstoneFor(safe, { ver: '9' })]);
    expect((await b.engine.syncNow()).damaged).toBe(2);
    expect(await contents(b.vault)).toEqual(before);
    expect((await b.vault.listSafes())[0]!.environments.map((e) => e.name)).toContain('Production');
    // A deletion a device made is sealed, and travels.
    await a.vault.deleteEnvironment(await envId(a, 'Production'));
    await a.engine.syncNow();
    b.fault = undefined;
    expect((await b.engine.syncNow()).damaged).toBe(0);
    expect((await b.vault.listSafes())[0]!.environments.map((e) => e.name)).not.toContain('Production');
  });

  it('a deletion queued before deletions were sealed is sealed as it leaves, and travels', async () => {
    const { a, b } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    // The outbox entry as an older Keysmith queued it: no deletion version, no environment.
    const db: IDBDatabase = await new Promise((resolve) => {
      const request = a.factory.open('device');
      request.onsuccess = () => resolve(request.result);
    });
    await new Promise<void>((resolve, reject) => {
      const store = db.transaction('outbox', 'readwrite').objectStore('outbox');
      const get = store.get(x);
      get.onsuccess = () => {
        const { gone: _gone, envId: _envId, ...old } = get.result;
        const put = store.put(old);
        put.onsuccess = () => resolve();
        put.onerror = () => reject(put.error);
      };
    });
    db.close();
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0 });
    expect(await b.engine.syncNow()).toMatchObject({ damaged: 0 });
    expect((await contents(b.vault)).some((line) => line.includes('/X='))).toBe(false);
  });

  it('a sealed deletion moved onto another secret does not open there', async () => {
    const { a, b } = await pair();
    const y = await idOf(a, 'Y');
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    let stolen: Record<string, any> | undefined;
    b.fault = rewritePulls((items) => {
      for (const item of items) if (item.deleted && item.kind === 'secret') stolen = structuredClone(item);
    });
    await b.engine.syncNow();
    expect(stolen).toBeDefined();
    b.fault = inject(() => [{ ...stolen!, id: y, ciphertext: { ...stolen!.ciphertext } }]);
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect(await contents(b.vault)).toContain('Personal/Development/Y=y-1');
  });

  it('forged conflict: an old copy answered as "theirs" is refused, with backoff and a word, not 200 pushes', async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const first = seen.get(x)!.find((i) => i.ciphertext.ver === '1')!;
    await b.vault.update({ ...DEV, key: 'X', value: 'x-mine' });
    b.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname !== '/api/v1/items/batch' || !response.ok) return response;
      const body = await response.json();
      body.results = body.results.map((r: { id: string }) =>
        r.id === x ? { id: x, ok: false, conflict: { ...first, revision: 500 } } : r,
      );
      return jsonResponse(200, body);
    };
    b.requests.length = 0;
    const status = await b.engine.syncNow();
    expect(b.requests.filter((r) => r === 'POST /api/v1/items/batch').length).toBeLessThanOrEqual(2);
    expect(status).toMatchObject({ conflicts: 0, waiting: 1, lastError: { code: 'server_replayed' } });
    expect(status.retryAt).toBeGreaterThan(Date.now());
    expect(await b.engine.local.listConflicts()).toEqual([]);
    expect(await contents(b.vault)).toContain('Personal/Development/X=x-mine');
    // The scheduler waits; the edit stays, and goes once the server answers truly.
    b.requests.length = 0;
    await b.engine.syncNow({ scheduled: true });
    expect(b.requests).toEqual([]);
    b.fault = undefined;
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, conflicts: 0 });
    await a.engine.syncNow();
    expect(await contents(a.vault)).toContain('Personal/Development/X=x-mine');
  });

  it("a conflict shows each side's sealed version and time, and keeping theirs never lowers what was seen", async () => {
    const { a, b, seen } = await pair();
    const x = await idOf(a, 'X');
    const start = Date.now();
    await a.vault.update({ ...DEV, key: 'X', value: 'x-a' });
    await b.vault.update({ ...DEV, key: 'X', value: 'x-b' });
    await a.engine.syncNow();
    // The server's own clock says nothing: its updated_at is rewritten, and shown nowhere.
    b.fault = rewritePulls((items) => {
      for (const item of items) item.updated_at = '2001-01-01T00:00:00.000Z';
    });
    expect((await b.engine.syncNow()).conflicts).toBe(1);
    const [conflict] = await b.engine.local.listConflicts();
    expect(conflict!.written).toEqual({
      mine: { ver: 2, at: expect.any(Number) },
      theirs: { ver: 2, at: expect.any(Number) },
    });
    for (const side of [conflict!.written!.mine, conflict!.written!.theirs!]) expect(side.at).toBeGreaterThanOrEqual(start);
    await b.engine.local.resolveConflict(x, 'theirs');
    expect(await contents(b.vault)).toContain('Personal/Development/X=x-a');
    const first = seen.get(x)!.find((i) => i.ciphertext.ver === '1')!;
    b.fault = inject(() => [first]);
    expect((await b.engine.syncNow()).damaged).toBe(1);
    expect(await contents(b.vault)).toContain('Personal/Development/X=x-a');
  });

  it('wipe: a full resync with an empty snapshot removes nothing until the user answers; Keep sends it all again, Remove removes', async () => {
    const { b, account } = await pair();
    const before = await contents(b.vault);
    const wipe = async (url: URL, _init: RequestInit, pass: () => Promise<Response>) => {
      const response = await pass();
      if (url.pathname !== '/api/v1/sync' || !response.ok) return response;
      const body = await response.json();
      return jsonResponse(200, { ...body, items: [], hasMore: false, fullResync: true });
    };
    b.fault = wipe;
    const status = await b.engine.syncNow();
    expect(status.wipe).toEqual({ safes: 1, environments: 3, secrets: 3 });
    expect(await contents(b.vault)).toEqual(before);
    // Asked again on the next run, still nothing removed.
    expect((await b.engine.syncNow()).wipe).toEqual({ safes: 1, environments: 3, secrets: 3 });
    expect(await contents(b.vault)).toEqual(before);

    // Keep: everything stays, and the server is sent it all again.
    b.fault = undefined;
    const kept = await b.engine.answerWipe(true);
    expect(kept).toMatchObject({ waiting: 0 });
    expect(kept.wipe).toBeUndefined();
    expect(await contents(b.vault)).toEqual(before);
    const c = await device();
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await contents(c.vault)).toEqual(before);

    // Remove: what the question named goes, on the user's word.
    b.fault = wipe;
    expect((await b.engine.syncNow()).wipe).toBeDefined();
    b.fault = undefined;
    expect((await b.engine.answerWipe(false)).wipe).toBeUndefined();
    expect(await contents(b.vault)).toEqual([]);
    expect(await b.vault.listSafes()).toEqual([]);
  });

  it('lengths: the protected flag seals to one size either way, and values and metas to size buckets', async () => {
    const { a, b, seen } = await pair();
    await a.vault.create({ ...DEV, keyValuePairs: { A: 'a', A_MUCH_LONGER_KEY_NAME: 'a much longer value, still under the bucket' } });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const latest = (id: string) => seen.get(id)!.at(-1)!;
    const envs = (await b.vault.listSafes())[0]!.environments;
    const flags = envs.map((e) => latest(e.id).ciphertext.flags.length);
    expect(envs.map((e) => e.protected)).toEqual([false, false, true]);
    expect(new Set(flags).size).toBe(1);
    const [short, long] = await Promise.all(['A', 'A_MUCH_LONGER_KEY_NAME'].map((key) => idOf(b, key)));
    expect(latest(short!).ciphertext.value.length).toBe(latest(long!).ciphertext.value.length);
    expect(latest(short!).ciphertext.meta.length).toBe(latest(long!).ciphertext.meta.length);
    expect(await contents(b.vault)).toEqual(
      expect.arrayContaining([
        'Personal/Development/A=a',
        'Personal/Development/A_MUCH_LONGER_KEY_NAME=a much longer value, still under the bucket',
      ]),
    );
  });

  it("two items' ciphertexts swapped: both refused, neither value changes", async () => {
    const { a, b } = await pair();
    const before = await contents(b.vault);
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.vault.update({ ...DEV, key: 'Y', value: 'y-2' });
    await a.engine.syncNow();
    b.fault = rewritePulls((items) => {
      const [p, q] = items.filter((i) => i.kind === 'secret');
      if (p && q) [p.ciphertext, q.ciphertext] = [q.ciphertext, p.ciphertext];
    });
    expect((await b.engine.syncNow()).damaged).toBe(2);
    expect(await contents(b.vault)).toEqual(before);
  });

  it("a new device given one secret's value under another's name: listed, but the value never opens there", async () => {
    const { account } = await pair();
    const c = await device();
    // Only the value is swapped: each meta opens, so both names are listed; each value is bound to its own secret.
    c.fault = rewritePulls((items) => {
      const secrets = items.filter((i) => i.kind === 'secret' && !i.deleted);
      const [p, q] = secrets.filter((i) => secrets.filter((j) => j.ciphertext.env === i.ciphertext.env).length === 2);
      if (p && q) [p.ciphertext.value, q.ciphertext.value] = [q.ciphertext.value, p.ciphertext.value];
    });
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const hits = (await c.vault.search('')).hits.filter((h) => h.key === 'X' || h.key === 'Y');
    expect(hits.map((h) => h.key).sort()).toEqual(['X', 'Y']);
    for (const hit of hits) await expect(c.vault.revealSecret(hit.id)).rejects.toMatchObject({ code: 'damaged' });
  });

  it('a tombstone claiming a huge version cannot stop an edit from syncing, nor make this device refuse later ones', async () => {
    const { a, b } = await pair();
    await a.vault.delete({ ...DEV, keyToDelete: 'X' });
    await a.engine.syncNow();
    await b.vault.update({ ...DEV, key: 'X', value: 'x-kept' });
    // Every tombstone B is shown claims the last possible version.
    const inflate = (item: Record<string, any>) => {
      if (item?.deleted) item.ciphertext = { ver: '999999999' };
    };
    b.fault = async (url, _init, pass) => {
      const response = await pass();
      if (!response.ok || (url.pathname !== '/api/v1/sync' && url.pathname !== '/api/v1/items/batch')) return response;
      const body = await response.json();
      for (const item of body.items ?? []) inflate(item);
      for (const result of body.results ?? []) inflate(result.conflict);
      return jsonResponse(200, body);
    };
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
    b.fault = undefined;
    // The edit beat the deletion, and A takes it: its version is still one a device accepts.
    expect(await a.engine.syncNow()).toMatchObject({ damaged: 0 });
    expect(await contents(a.vault)).toContain('Personal/Development/X=x-kept');
    // A's next edit still reaches B: B did not take the claimed version as one it had seen.
    await a.vault.update({ ...DEV, key: 'X', value: 'x-after' });
    await a.engine.syncNow();
    expect(await b.engine.syncNow()).toMatchObject({ damaged: 0 });
    expect(await contents(b.vault)).toContain('Personal/Development/X=x-after');
  });

  it('weak KDF parameters from prelogin are refused before any derivation, and nothing is created', async () => {
    const { account } = await pair();
    for (const kdf of [
      { name: 'PBKDF2-HMAC-SHA256', iterations: 1000, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      { name: 'Argon2id', memoryKiB: 1024, passes: 1, parallelism: 1, salt: 'AAAAAAAAAAAAAAAAAAAAAA==' },
      { name: 'Argon2id', memoryKiB: 65536, passes: 3, parallelism: 4 }, // no salt
    ]) {
      const c = await device();
      c.fault = async (url, _init, pass) => (url.pathname.endsWith('/prelogin') ? jsonResponse(200, { kdf }) : pass());
      const error = await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: expect.stringMatching(/kdf_below_floor|invalid_input/) });
      expect(c.requests.filter((r) => r.includes('/login'))).toEqual([]); // refused before deriving or logging in
      expect(await c.vault.isInitialised()).toBe(false);
    }
  });

  it("a wrapped vault key that is not the account's is refused at sign-in", async () => {
    const { account } = await pair();
    const other = await device();
    await newVault(other);
    const foreign = await other.engine.local.registration(MASTER);
    const c = await device();
    c.fault = async (url, _init, pass) => {
      const response = await pass();
      if (!url.pathname.endsWith('/login') || !response.ok) return response;
      const body = await response.json();
      return jsonResponse(200, { ...body, keys: { ...body.keys, wrappedVaultKey: foreign.keys.wrappedVaultKey } });
    };
    await expect(c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER })).rejects.toMatchObject({
      code: 'damaged',
    });
    expect(await c.vault.isInitialised()).toBe(false);
  });
  // The manifest: what each safe holds, sealed by the devices that write it (lib/sync/manifest-store.ts).

  const findingsOf = async (d: Device) => ((await d.engine.status()).manifest ?? []).map((f) => `${f.finding} ${f.count} ${f.kind}`).sort();

  it('manifest: a new device is told which secrets the server withholds, and where', async () => {
    const { a, account } = await pair();
    await a.vault.create({ ...DEV, keyValuePairs: { W1: 'w-1', W2: 'w-2' } });
    await a.engine.syncNow();
    const withheld = new Set([await idOf(a, 'X'), await idOf(a, 'W1'), await idOf(a, 'W2')]);
    const c = await device();
    c.fault = rewritePulls((items) => items.splice(0, items.length, ...items.filter((i) => !withheld.has(i.id))));
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const status = await c.engine.status();
    expect(status.manifest).toEqual([
      { finding: 'withheld', safeId: expect.any(String), envId: await envId(a, 'Development'), kind: 'secret', count: 3 },
    ]);
    // Nothing is invented or dropped: the device shows what it was given, and says what is missing.
    expect(await contents(c.vault)).toEqual(['Personal/Development/Y=y-1', 'Personal/Production!/PROD_KEY=p-1']);
    // Once the server hands them over, the words go.
    c.fault = undefined;
    await c.engine.local.setSyncLink({ ...(await c.engine.local.getSyncLink())!, cursor: undefined } as never);
    expect((await c.engine.syncNow()).manifest).toBeUndefined();
  });

  it('manifest: a new device given an older copy than the account wrote is told, and the copy is not passed off as current', async () => {
    const { a, account, seen } = await pair();
    const x = await idOf(a, 'X');
    await a.vault.update({ ...DEV, key: 'X', value: 'x-2' });
    await a.engine.syncNow();
    const old = seen.get(x)![0]!;
    const c = await device();
    c.fault = rewritePulls((items) => {
      for (const [n, item] of items.entries()) if (item.id === x) items[n] = { ...old, revision: item.revision };
    });
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await findingsOf(c)).toEqual(['stale 1 secret']);
    expect(await contents(c.vault)).toContain('Personal/Development/X=x-1'); // shown as given, and reported
  });

  it('manifest: a deleted secret handed back to a new device, or to one that saw it go, is reported as brought back', async () => {
    const { a, b, account, seen } = await pair();
    const y = await idOf(a, 'Y');
    await a.vault.delete({ ...DEV, keyToDelete: 'Y' });
    await a.engine.syncNow();
    const old = seen.get(y)![0]!;
    const c = await device();
    c.fault = rewritePulls((items) => items.push({ ...old, revision: 9_000 }));
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await findingsOf(c)).toEqual(['resurrected 1 secret']);
    expect(await contents(c.vault)).toContain('Personal/Development/Y=y-1');
    // B misses the deletion and is given the old copy again: refused (the server may not replay it), and reported.
    b.fault = rewritePulls((items) => {
      for (const [n, item] of items.entries()) if (item.id === y) items[n] = { ...old, revision: item.revision };
    });
    await b.engine.syncNow();
    expect(await findingsOf(b)).toEqual(['resurrected 1 secret']);
  });

  it('manifest: an older manifest replayed is refused like any old copy, and two devices writing one safe at once merge theirs', async () => {
    const { a, b, account, seen } = await pair();
    const manifestId = [...seen.keys()].find((id) => id.endsWith('.manifest'))!;
    // Two writers, one safe, at once: each list goes with optimistic concurrency; the second merges the first's.
    await a.vault.create({ ...DEV, keyValuePairs: { FROM_A: 'a' } });
    await b.vault.create({ ...DEV, keyValuePairs: { FROM_B: 'b' } });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.engine.syncNow();
    const c = await device();
    await c.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await c.engine.status()).toMatchObject({ damaged: 0 });
    expect((await c.engine.status()).manifest).toBeUndefined();
    // ... so a server withholding the first writer's new secret from a new device is caught.
    const fromA = await idOf(a, 'FROM_A');
    const d = await device();
    d.fault = rewritePulls((items) => items.splice(0, items.length, ...items.filter((i) => i.id !== fromA)));
    await d.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(await findingsOf(d)).toEqual(['withheld 1 secret']);
    // The first manifest B was given, replayed to it now: refused, and nothing else said.
    const first = seen.get(manifestId)![0]!;
    b.fault = rewritePulls((items) => items.push({ ...first, revision: 9_000 }));
    expect(await b.engine.syncNow()).toMatchObject({ damaged: 1 });
    expect((await b.engine.status()).manifest).toBeUndefined();
  });
});
