// The sync engine against a real server over HTTP on 127.0.0.1: accounts, a second device,
// convergence, conflicts, every error path, and nothing readable on the server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { purgeTombstones } from '../../server/sync/purge';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, jsonResponse, MASTER, newVault, type Device } from './sync-helpers';

describe.each(backends)('sync engine (%s)', (backend) => {
  let server: Running;
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Device A with a vault, an account and three secrets (one overridden), synced. */
  async function firstDevice(): Promise<{ a: Device; account: string }> {
    const a = await device();
    await newVault(a);
    await a.vault.create({
      safeName: 'Personal',
      envName: 'Development',
      secretPath: '/api',
      keyValuePairs: [
        { key: 'STRIPE_KEY', value: 'sk_test_zebra', tags: ['payments'], comment: 'test mode' },
        { key: 'DB_URL', value: 'postgres://dev-zebra' },
      ],
    });
    await a.vault.create({ safeName: 'Personal', envName: 'Production', keyValuePairs: { API_TOKEN: 'tok-prod-zebra' } });
    await a.vault.update({ safeName: 'Personal', envName: 'Production', key: 'API_TOKEN', value: 'tok-mine-zebra', override: true });
    const account = email();
    const status = await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(status).toMatchObject({ linked: true, waiting: 0, conflicts: 0 });
    expect(status.lastError).toBeUndefined();
    return { a, account };
  }

  async function secondDevice(account: string): Promise<Device> {
    const b = await device();
    const status = await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    expect(status.lastError).toBeUndefined();
    return b;
  }

  it('a second device signs in with the master password and sees every safe, environment, secret and override', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
    expect(await contents(b.vault)).toEqual([
      'Personal/Development/api/DB_URL=postgres://dev-zebra',
      'Personal/Development/api/STRIPE_KEY=sk_test_zebra #payments',
      'Personal/Production!/API_TOKEN=tok-mine-zebra (mine)',
    ]);
    // B's vault unlocks with the same master password, and the search finds what came from A.
    await b.vault.lock();
    await b.vault.unlock(MASTER);
    expect((await b.vault.search('stripe')).total).toBe(1);

    // The server holds ciphertext only: no key name, value, tag, path, comment, safe or environment name.
    const dump =
      JSON.stringify(await server.database.db.execute(sql`SELECT * FROM items`)) +
      JSON.stringify(await server.database.db.execute(sql`SELECT * FROM safes`)) +
      JSON.stringify(await server.database.db.execute(sql`SELECT * FROM users`));
    for (const word of ['STRIPE', 'zebra', 'payments', 'test mode', '/api', 'Personal', 'Development', 'Production', MASTER]) {
      expect(dump, word).not.toContain(word);
    }
  });

  it('converges: edits and additions on two devices reach both, and an idle sync is one request', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    await a.vault.update({
      safeName: 'Personal',
      envName: 'Development',
      key: 'DB_URL',
      secretPath: '/api',
      value: 'postgres://dev-2',
      tags: ['db'],
    });
    await b.vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { NEW_ON_B: 'from-b' } });
    const { id: safeId } = await b.vault.createSafe('Billing');
    await b.vault.create({ safeId, envName: 'Production', keyValuePairs: { INVOICE: 'inv-1' } });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.engine.syncNow();
    expect(await contents(a.vault)).toEqual(await contents(b.vault));
    expect(await contents(a.vault)).toContain('Personal/Development/api/DB_URL=postgres://dev-2 #db');
    expect(await contents(a.vault)).toContain('Billing/Production!/INVOICE=inv-1');

    // Nothing new: one pull, answered from the cursor.
    b.requests.length = 0;
    await b.engine.syncNow();
    expect(b.requests).toEqual(['GET /api/v1/sync']);

    // Deletions travel too, a whole safe included.
    await a.vault.deleteSafe(safeId);
    await a.vault.delete({ safeName: 'Personal', envName: 'Staging', keyToDelete: 'NEW_ON_B' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
    expect((await b.vault.listSafes()).map((s) => s.name)).toEqual(['Personal']);
  });

  it('one secret edited on both devices is kept twice; Keep both / mine / theirs each sync', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };
    await a.vault.update({ ...where, key: 'DB_URL', value: 'from-a' });
    await b.vault.update({ ...where, key: 'DB_URL', value: 'from-b' });
    await a.engine.syncNow();
    const statusB = await b.engine.syncNow();
    expect(statusB.conflicts).toBe(1);
    // B's own edit is held for the user's choice, not waiting for the server.
    expect(statusB).toMatchObject({ waiting: 1, held: 1 });
    const [conflict] = await b.engine.local.listConflicts();
    expect(conflict).toMatchObject({ mine: { key: 'DB_URL', value: 'from-b' }, theirs: { key: 'DB_URL', value: 'from-a' } });
    // B's list still shows its own value until the user chooses.
    expect(await contents(b.vault)).toContain('Personal/Development/api/DB_URL=from-b');

    await b.engine.local.resolveConflict(conflict!.id, 'both');
    await b.engine.syncNow();
    await a.engine.syncNow();
    for (const d of [a, b]) {
      expect(await contents(d.vault)).toEqual(
        expect.arrayContaining(['Personal/Development/api/DB_URL=from-a', 'Personal/Development/api/DB_URL_CONFLICT=from-b']),
      );
    }
    expect(await b.engine.status()).toMatchObject({ conflicts: 0, waiting: 0 });
    expect((await b.engine.status()).held).toBeUndefined();

    // Keep mine: B's value wins on both.
    await a.vault.update({ ...where, key: 'STRIPE_KEY', value: 'a2' });
    await b.vault.update({ ...where, key: 'STRIPE_KEY', value: 'b2' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const [second] = await b.engine.local.listConflicts();
    await b.engine.local.resolveConflict(second!.id, 'mine');
    await b.engine.syncNow();
    await a.engine.syncNow();
    expect(await contents(a.vault)).toContain('Personal/Development/api/STRIPE_KEY=b2 #payments');
    expect(await contents(b.vault)).toEqual(await contents(a.vault));

    // Keep theirs: A's value, and nothing left to send.
    await a.vault.update({ ...where, key: 'STRIPE_KEY', value: 'a3' });
    await b.vault.update({ ...where, key: 'STRIPE_KEY', value: 'b3' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const [third] = await b.engine.local.listConflicts();
    await b.engine.local.resolveConflict(third!.id, 'theirs');
    expect((await b.engine.syncNow()).waiting).toBe(0);
    await a.engine.syncNow();
    expect(await contents(b.vault)).toContain('Personal/Development/api/STRIPE_KEY=a3 #payments');
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
  });

  it("a push whose answer is lost: its own write is no conflict, and another device's edit of the same version is one, never refused", async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };
    /** The server acts on A's next push, but the answer never arrives (a dropped connection). */
    const loseNextPushAnswer = () => {
      a.fault = async (url, _init, pass) => {
        if (url.pathname !== '/api/v1/items/batch') return pass();
        a.fault = undefined;
        await pass();
        throw new TypeError('socket hang up');
      };
    };

    // A's own write lands unseen; A edits again: the next sync sends the new edit on top, no conflict.
    await a.vault.update({ ...where, key: 'DB_URL', value: 'a-1' });
    loseNextPushAnswer();
    expect((await a.engine.syncNow()).lastError?.code).toBe('unreachable');
    await a.vault.update({ ...where, key: 'DB_URL', value: 'a-2' });
    expect(await a.engine.syncNow()).toMatchObject({ waiting: 0, conflicts: 0, damaged: 0 });
    await b.engine.syncNow();
    expect(await contents(b.vault)).toContain('Personal/Development/api/DB_URL=a-2');

    // The same with a new secret; meanwhile B edits what it pulled, so both hold version 2 of it.
    await a.vault.create({ ...where, keyValuePairs: { NEW_KEY: 'a-v1' } });
    loseNextPushAnswer();
    await a.engine.syncNow();
    await a.vault.update({ ...where, key: 'NEW_KEY', value: 'a-v2' });
    await b.engine.syncNow();
    await b.vault.update({ ...where, key: 'NEW_KEY', value: 'b-v2' });
    await b.engine.syncNow();
    // A must not take B's version 2 for a replay of its own: the two are a conflict, kept twice.
    expect(await a.engine.syncNow()).toMatchObject({ conflicts: 1, damaged: 0 });
    const [conflict] = await a.engine.local.listConflicts();
    expect(conflict).toMatchObject({ mine: { key: 'NEW_KEY', value: 'a-v2' }, theirs: { key: 'NEW_KEY', value: 'b-v2' } });
  });

  it('deleted on one device while edited on the other: the edit is kept, both ways round', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };
    // A deletes and syncs first; B's edit comes later.
    await a.vault.delete({ ...where, keyToDelete: 'DB_URL' });
    await b.vault.update({ ...where, key: 'DB_URL', value: 'edited-on-b' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.engine.syncNow();
    // B edits first; A's deletion comes later.
    await b.vault.update({ ...where, key: 'STRIPE_KEY', value: 'edited-first' });
    await a.vault.delete({ ...where, keyToDelete: 'STRIPE_KEY' });
    await b.engine.syncNow();
    await a.engine.syncNow();
    await b.engine.syncNow();
    for (const d of [a, b]) {
      expect(await contents(d.vault)).toEqual(
        expect.arrayContaining([
          'Personal/Development/api/DB_URL=edited-on-b',
          'Personal/Development/api/STRIPE_KEY=edited-first #payments',
        ]),
      );
    }
    expect(await contents(a.vault)).toEqual(await contents(b.vault));
  });

  it('an edit that beats a deletion reaches devices that saw later versions than the editor did', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const c = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };
    // A takes DB_URL to its third version; B sees it and deletes it; C saw only the first.
    for (const value of ['a-2', 'a-3']) {
      await a.vault.update({ ...where, key: 'DB_URL', value });
      await a.engine.syncNow();
    }
    await b.engine.syncNow();
    await b.vault.delete({ ...where, keyToDelete: 'DB_URL' });
    await b.engine.syncNow();
    await c.vault.update({ ...where, key: 'DB_URL', value: 'c-edit' });
    expect(await c.engine.syncNow()).toMatchObject({ waiting: 0, conflicts: 0 });
    // C's edit beats the deletion, numbered above the third version, so A does not take it for a replay.
    for (const d of [a, b, c]) {
      expect(await d.engine.syncNow()).toMatchObject({ waiting: 0, damaged: 0 });
      expect(await contents(d.vault)).toContain('Personal/Development/api/DB_URL=c-edit');
    }
    expect(await contents(a.vault)).toEqual(await contents(c.vault));
    expect(await contents(b.vault)).toEqual(await contents(c.vault));
  });

  it('an edit sent again above a deletion: a worker stopped while it is sealed again sends it above the deletion still, never at its version', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };
    const id = (await a.vault.search('DB_URL')).hits.find((h) => h.key === 'DB_URL')!.id;
    await b.vault.delete({ ...where, keyToDelete: 'DB_URL' });
    await b.engine.syncNow();
    await a.vault.update({ ...where, key: 'DB_URL', value: 'a-edit' });
    // A's push meets B's deletion at the same version; the worker is stopped at the first
    // encryption of the reseal that lifts A's edit above it.
    let armed = false;
    let stopped: Promise<void> | undefined;
    a.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname !== '/api/v1/items/batch') return response;
      const body = (await response.clone().json()) as { results: { id: string; conflict?: unknown }[] };
      if (body.results.some((r) => r.id === id && r.conflict)) armed = true;
      return response;
    };
    const encrypt = crypto.subtle.encrypt.bind(crypto.subtle);
    const spy = vi.spyOn(crypto.subtle, 'encrypt').mockImplementation((...args) => {
      if (armed && !stopped) stopped = a.restart();
      return encrypt(...args);
    });
    try {
      await a.engine.syncNow().catch(() => undefined);
      expect(stopped).toBeDefined();
      await stopped;
    } finally {
      spy.mockRestore();
      a.fault = undefined;
    }
    for (const d of [a, b, a, b]) expect(await d.engine.syncNow()).toMatchObject({ waiting: 0, conflicts: 0, damaged: 0 });
    for (const d of [a, b]) expect(await contents(d.vault)).toContain('Personal/Development/api/DB_URL=a-edit');
  });

  it('a personal override changed on two devices is kept twice until the user keeps one', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Production', key: 'API_TOKEN', override: true };
    const both = async (inA: string, inB: string) => {
      // The last choice was sent as a version above both sides (every device showed the conflict):
      // A takes it before editing again, or its edit would meet that choice as a new conflict.
      await a.engine.syncNow();
      await a.vault.update({ ...where, value: inA });
      await b.vault.update({ ...where, value: inB });
      await a.engine.syncNow();
      expect((await b.engine.syncNow()).conflicts).toBe(1);
      const [view] = await b.engine.local.listConflicts();
      expect(view).toMatchObject({ kind: 'override', mine: { key: 'API_TOKEN', value: inB }, theirs: { key: 'API_TOKEN', value: inA } });
      return view!;
    };
    // B's own value stays in use until the choice; Keep both does not apply to one personal value.
    const first = await both('ovr-a', 'ovr-b');
    expect(await contents(b.vault)).toContain('Personal/Production!/API_TOKEN=ovr-b (mine)');
    await expect(b.engine.local.resolveConflict(first.id, 'both')).rejects.toMatchObject({ code: 'invalid_input' });
    await b.engine.local.resolveConflict(first.id, 'theirs');
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, conflicts: 0 });
    expect(await contents(b.vault)).toContain('Personal/Production!/API_TOKEN=ovr-a (mine)');

    const second = await both('ovr-a2', 'ovr-b2');
    await b.engine.local.resolveConflict(second.id, 'mine');
    await b.engine.syncNow();
    expect((await a.engine.syncNow()).conflicts).toBe(0);
    expect(await contents(a.vault)).toContain('Personal/Production!/API_TOKEN=ovr-b2 (mine)');
    expect(await contents(a.vault)).toEqual(await contents(b.vault));

    // The other device then removes its override while B is yet to choose: the choice is against that deletion.
    await both('ovr-a3', 'ovr-b3');
    await a.vault.update({ safeName: 'Personal', envName: 'Production', key: 'API_TOKEN', deleteOverride: true });
    await a.engine.syncNow();
    await b.engine.syncNow();
    const [third] = await b.engine.local.listConflicts();
    expect(third).toMatchObject({ kind: 'override', theirsDeleted: true });
    await b.engine.local.resolveConflict(third!.id, 'theirs');
    expect(await b.engine.syncNow()).toMatchObject({ waiting: 0, conflicts: 0 });
    expect(await contents(b.vault)).toContain('Personal/Production!/API_TOKEN=tok-prod-zebra');

    // An override conflict whose secret is deleted elsewhere does not stay behind, uncounted or unchoosable.
    await both('ovr-a4', 'ovr-b4');
    await a.vault.delete({ safeName: 'Personal', envName: 'Production', keyToDelete: 'API_TOKEN' });
    await a.engine.syncNow();
    expect((await b.engine.syncNow()).conflicts).toBe(0);
    expect(await b.engine.local.listConflicts()).toEqual([]);
  });

  it("an override conflict found in the same run as its secret's deletion is settled, on every device alike", async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const c = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Production', key: 'API_TOKEN', override: true };
    // C's override edit reaches the server; A deletes the secret without having seen it (A's override
    // deletion is answered with C's edit), and B edits the override without having seen either.
    await c.vault.update({ ...where, value: 'ovr-c' });
    await c.engine.syncNow();
    await b.vault.update({ ...where, value: 'ovr-b' });
    await a.vault.delete({ safeName: 'Personal', envName: 'Production', keyToDelete: 'API_TOKEN' });
    await a.engine.syncNow();
    // B's push is answered with C's copy, and the same pull brings C's copy and the secret's deletion.
    expect((await b.engine.syncNow()).conflicts).toBe(0);
    for (let round = 0; round < 2; round++) for (const d of [a, b, c]) await d.engine.syncNow();
    for (const d of [a, b, c]) {
      expect(await d.engine.status()).toMatchObject({ waiting: 0, conflicts: 0 });
      expect(await d.engine.local.listConflicts()).toEqual([]);
      expect(await contents(d.vault)).not.toContain('Personal/Production!/API_TOKEN=ovr-b (mine)');
    }
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
    expect(await contents(c.vault)).toEqual(await contents(a.vault));
  });

  it('one name created on two devices: both kept and marked until the user chooses, and the choice clears it everywhere', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Staging' };
    const clash = async (key: string, inA: string, inB: string) => {
      await a.vault.create({ ...where, keyValuePairs: { [key]: inA } });
      await b.vault.create({ ...where, keyValuePairs: { [key]: inB } });
      await a.engine.syncNow();
      expect((await b.engine.syncNow()).conflicts).toBe(1);
      expect((await a.engine.syncNow()).conflicts).toBe(1);
    };
    const listed = async (d: Device) => (await d.vault.get(where)).map((s) => `${s.key}=${s.value}`).sort();

    // Keep both, chosen on B: the second copy (by id, the same on every device) is renamed; A's mark goes when the rename arrives.
    await clash('SHARED', 'from-a', 'from-b');
    expect(await listed(b)).toEqual(['SHARED=from-a', 'SHARED=from-b']);
    const safe = (await b.vault.listSafes())[0]!;
    const env = safe.environments.find((e) => e.name === 'Staging')!;
    const marks = (await b.vault.listSecrets(safe.id, env.id)).filter((s) => 'conflict' in s && s.conflict);
    expect(marks).toHaveLength(2);
    const [view] = await b.engine.local.listConflicts();
    expect(view).toMatchObject({ kind: 'name', mine: { key: 'SHARED' }, theirs: { key: 'SHARED' } });
    expect([view!.mine.value, view!.theirs!.value].sort()).toEqual(['from-a', 'from-b']);
    // Both devices see the clash the same way round.
    expect((await a.engine.local.listConflicts())[0]).toMatchObject({ mine: view!.mine, theirs: view!.theirs });
    await b.engine.local.resolveConflict(view!.id, 'both');
    expect((await b.engine.syncNow()).conflicts).toBe(0);
    expect((await a.engine.syncNow()).conflicts).toBe(0);
    const kept = [`SHARED=${view!.mine.value}`, `SHARED_CONFLICT=${view!.theirs!.value}`];
    for (const d of [a, b]) expect(await listed(d)).toEqual(kept);

    // Keep theirs on A: the second copy stays, the first goes, on both.
    await clash('OTHER', 'a-value', 'b-value');
    const [second] = await a.engine.local.listConflicts();
    await a.engine.local.resolveConflict(second!.id, 'theirs');
    await a.engine.syncNow();
    expect((await b.engine.syncNow()).conflicts).toBe(0);
    for (const d of [a, b]) expect(await listed(d)).toEqual([`OTHER=${second!.theirs!.value}`, ...kept]);

    // The same choice on both devices before either syncs keeps the same copy (Keep mine), or renames
    // the same one alike (Keep both): never both deleted, no new conflict.
    for (const [key, choice] of [
      ['THIRD', 'mine'],
      ['FOURTH', 'both'],
    ] as const) {
      await clash(key, `a-${key}`, `b-${key}`);
      const [seen] = await a.engine.local.listConflicts();
      for (const d of [a, b]) await d.engine.local.resolveConflict((await d.engine.local.listConflicts())[0]!.id, choice);
      await a.engine.syncNow();
      await b.engine.syncNow();
      expect(await a.engine.syncNow()).toMatchObject({ conflicts: 0, waiting: 0 });
      expect(await b.engine.status()).toMatchObject({ conflicts: 0, waiting: 0 });
      const these = (await listed(a)).filter((line) => line.startsWith(key));
      expect(these).toEqual(
        choice === 'mine' ? [`${key}=${seen!.mine.value}`] : [`${key}=${seen!.mine.value}`, `${key}_CONFLICT=${seen!.theirs!.value}`],
      );
    }
    expect(await contents(a.vault)).toEqual(await contents(b.vault));
  });

  it('server unreachable, 500, 429 and timeouts: kept, reported in words, retried with backoff or Retry-After', async () => {
    const { a } = await firstDevice();
    await a.vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { A: '1', B: '2', C: '3' } });

    a.fault = async () => {
      throw new TypeError('fetch failed');
    };
    let status = await a.engine.syncNow();
    expect(status).toMatchObject({ waiting: 3, lastError: { code: 'unreachable' } });
    expect(status.retryAt! - Date.now()).toBeGreaterThan(500);
    // A scheduled run waits for the backoff; the user's Sync now does not.
    a.requests.length = 0;
    await a.engine.syncNow({ scheduled: true });
    expect(a.requests).toEqual([]);
    // Sync now pressed again and again while the server is away: the next automatic try stays put.
    const nextTry = status.retryAt;
    for (let n = 0; n < 5; n++) expect((await a.engine.syncNow()).retryAt).toBe(nextTry);

    a.fault = async () => jsonResponse(500, { error: { code: 'internal', message: 'Internal error' } });
    status = await a.engine.syncNow();
    expect(status.lastError?.code).toBe('server_error');

    a.fault = async () => jsonResponse(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '42' });
    status = await a.engine.syncNow();
    expect(status.lastError?.code).toBe('rate_limited');
    expect(Math.round((status.retryAt! - Date.now()) / 1000)).toBeGreaterThanOrEqual(41);

    a.fault = (_url, init) => new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    status = await a.engine.syncNow();
    expect(status.lastError?.code).toBe('timeout');

    // A connection dropped after the server wrote the batch: the answer is lost, the retry sees its own write.
    let dropped = false;
    a.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname === '/api/v1/items/batch' && !dropped) {
        dropped = true;
        throw new TypeError('socket hang up');
      }
      return response;
    };
    status = await a.engine.syncNow();
    expect(status.lastError?.code).toBe('unreachable');
    a.fault = undefined;
    status = await a.engine.syncNow();
    expect(status).toMatchObject({ waiting: 0, conflicts: 0 });
    expect(status.lastError).toBeUndefined();
    const b = await secondDevice((await a.engine.local.getSyncLink())!.email);
    expect(await contents(b.vault)).toEqual(await contents(a.vault));
  });

  it('an expired or revoked token: signs in again silently with the auth secret held while unlocked', async () => {
    const { a } = await firstDevice();
    await server.database.db.execute(sql`UPDATE tokens SET revoked_at = now()`);
    await a.vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { AFTER_REVOKE: '1' } });
    a.requests.length = 0;
    const status = await a.engine.syncNow();
    expect(status.lastError).toBeUndefined();
    expect(status.waiting).toBe(0);
    expect(a.requests).toContain('POST /api/v1/auth/login');
    // Locked: the engine holds nothing and does nothing.
    await a.vault.lock();
    await a.engine.forget();
    a.requests.length = 0;
    await a.engine.syncNow();
    expect(a.requests).toEqual([]);
  });

  it('a change the server refuses on its own (too large) is kept and reported; the rest still syncs', async () => {
    const { a, account } = await firstDevice();
    await a.vault.create({
      safeName: 'Personal',
      envName: 'Staging',
      keyValuePairs: { HUGE: 'x'.repeat(1_200_000), SMALL_1: 's1', SMALL_2: 's2' },
    });
    const status = await a.engine.syncNow();
    expect(status).toMatchObject({ waiting: 1, refused: 1 });
    const b = await secondDevice(account);
    const onB = await contents(b.vault);
    expect(onB).toEqual(expect.arrayContaining(['Personal/Staging/SMALL_1=s1', 'Personal/Staging/SMALL_2=s2']));
    expect(onB.some((line) => line.includes('HUGE'))).toBe(false);
    // Made small again, it is sent.
    await a.vault.update({ safeName: 'Personal', envName: 'Staging', key: 'HUGE', value: 'small now' });
    expect((await a.engine.syncNow()).waiting).toBe(0);
    await b.engine.syncNow();
    expect(await contents(b.vault)).toContain('Personal/Staging/HUGE=small now');
  });

  it('refuses bad input in words and changes nothing', async () => {
    const a = await device();
    await newVault(a);
    await expect(a.engine.createAccount({ serverUrl: 'http://example.com', email: email(), masterPassword: MASTER })).rejects.toMatchObject(
      {
        code: 'invalid_input',
        field: 'serverUrl',
      },
    );
    await expect(a.engine.createAccount({ serverUrl: server.url, email: 'not-an-email', masterPassword: MASTER })).rejects.toMatchObject({
      field: 'email',
    });
    await expect(
      a.engine.createAccount({ serverUrl: server.url, email: email(), masterPassword: 'wrong-password-here' }),
    ).rejects.toMatchObject({
      code: 'wrong_password',
    });
    await expect(a.engine.createAccount({ serverUrl: 'http://127.0.0.1:9', email: email(), masterPassword: MASTER })).rejects.toMatchObject(
      {
        code: 'unreachable',
      },
    );
    expect(await a.engine.local.getSyncLink()).toBeUndefined();
    const { account } = await firstDevice();
    await expect(a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER })).rejects.toMatchObject({
      code: 'duplicate',
      field: 'email',
    });
    const b = await device();
    await expect(b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: 'not-the-password' })).rejects.toMatchObject({
      code: 'wrong_password',
    });
    expect(await b.vault.isInitialised()).toBe(false);
  });

  it('a cursor older than the deletions the server keeps: a full resync asks, then drops what is gone and keeps unsent changes', async () => {
    const { a, account } = await firstDevice();
    const b = await secondDevice(account);
    const where = { safeName: 'Personal', envName: 'Development', secretPath: '/api' };
    // While B is away: A deletes one secret and the server purges that deletion.
    await a.vault.delete({ ...where, keyToDelete: 'DB_URL' });
    await a.vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { FROM_A: 'a' } });
    await a.engine.syncNow();
    // B has a change the server will not take (too large): it stays unsent through the resync.
    await b.vault.create({ safeName: 'Personal', envName: 'Staging', keyValuePairs: { UNSENT_ON_B: 'b'.repeat(1_200_000) } });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await purgeTombstones(server.database.db, 1)).toBeGreaterThan(0);

    b.requests.length = 0;
    const pulls: boolean[] = [];
    b.fault = async (url, _init, pass) => {
      const response = await pass();
      if (url.pathname === '/api/v1/sync') pulls.push(((await response.clone().json()) as { fullResync: boolean }).fullResync);
      return response;
    };
    const asked = await b.engine.syncNow();
    expect(pulls).toContain(true); // the server said so, and B took the snapshot
    // The server's word alone removes nothing: the user is asked, and here agrees.
    expect(asked.wipe).toEqual({ safes: 0, environments: 0, secrets: 1 });
    expect((await contents(b.vault)).some((line) => line.includes('DB_URL'))).toBe(true);
    await b.engine.answerWipe(false);
    const onB = await contents(b.vault);
    expect(onB.some((line) => line.includes('DB_URL'))).toBe(false); // deleted while its tombstone was purged
    expect(onB).toContain('Personal/Staging/FROM_A=a');
    expect(onB.filter((line) => line.startsWith('Personal/Staging/UNSENT_ON_B='))).toHaveLength(1);
    expect(await b.engine.status()).toMatchObject({ refused: 1, waiting: 1 });
    await a.engine.syncNow();
    expect(await contents(a.vault)).toEqual(onB.filter((line) => !line.includes('UNSENT_ON_B')));
  });
});
