// The live connection's pokes against what a device has already pulled: each pull answer says the
// org's change sequence it brings the device up to (`seq`), and a poke at or below it (the device's
// own push, or a change a pull brought meanwhile) costs no request. Real server, real WebSockets.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveConnection, type LiveSocket } from '../../lib/sync/live';
import { backends, startServer, type Running } from './helpers/harness';
import { contents, device, email, jsonResponse, MASTER, newVault, type Device } from './sync-helpers';

const pullsOf = (d: Device) => d.requests.filter((r) => r === 'GET /api/v1/sync').length;
const until = async (check: () => Promise<boolean> | boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(backends)('pokes for changes a device already has (%s)', (backend) => {
  let server: Running;
  const connections: LiveConnection[] = [];
  beforeAll(async () => {
    server = await startServer(backend);
  });
  afterAll(async () => {
    for (const live of connections) live.stop();
    await server?.stop();
  });

  /** The device's live connection as the background wires it: a poke goes to the engine. */
  function listen(d: Device) {
    const state = { ready: false };
    const live = new LiveConnection({
      WebSocket: WebSocket as unknown as new (url: string) => LiveSocket,
      session: () => d.engine.liveSession(),
      onReady: () => (state.ready = true),
      onChange: (seq) => void d.engine.poked(seq),
      onRefused: async () => undefined,
    });
    connections.push(live);
    live.start();
    return state;
  }

  const orgSeq = async (orgId: string) => {
    const result = await server.database.db.execute(sql`select change_seq from orgs where id = ${orgId}`);
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { change_seq: number | string }[];
    return Number(rows[0]!.change_seq);
  };

  it("an edit costs the editing device its own run's pull only, and a poke for what a device has pulled costs nothing", async () => {
    const a = await device();
    await newVault(a);
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { DB_URL: 'postgres://one' } });
    const account = email();
    await a.engine.createAccount({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const b = await device();
    await b.engine.signIn({ serverUrl: server.url, email: account, masterPassword: MASTER });
    const [liveA, liveB] = [listen(a), listen(b)];
    await until(() => liveA.ready && liveB.ready, 'both live connections');
    const orgId = (await a.engine.local.getSyncLink())!.orgId;

    const [aBefore, bBefore] = [pullsOf(a), pullsOf(b)];
    await a.vault.update({ safeName: 'Personal', envName: 'Development', key: 'DB_URL', value: 'postgres://two' });
    await a.engine.syncNow(); // push, the manifest's push (two pokes), pull
    await until(async () => (await contents(b.vault)).includes('Personal/Development/DB_URL=postgres://two'), "B taking A's edit");
    await new Promise((r) => setTimeout(r, 500)); // any late poke has arrived
    await until(async () => !(await b.engine.status()).progress, 'B done');
    // A heard of its own two writes: no pull for them. B pulled once, or twice if its first pull
    // came between the edit's write and the manifest's.
    expect(pullsOf(a) - aBefore).toBe(1);
    expect(pullsOf(b) - bBefore).toBeGreaterThanOrEqual(1);
    expect(pullsOf(b) - bBefore).toBeLessThanOrEqual(2);

    // A poke at the sequence B reached, or below: nothing to ask. Above it: one pull.
    const seq = await orgSeq(orgId);
    const held = pullsOf(b);
    await b.engine.poked(seq);
    await b.engine.poked(seq - 1);
    expect(pullsOf(b)).toBe(held);
    await b.engine.poked(seq + 1);
    expect(pullsOf(b)).toBe(held + 1);
    // A poke without a sequence (a server that sends none) is always pulled.
    await b.engine.poked(0);
    expect(pullsOf(b)).toBe(held + 2);
  });

  it('a poke during a run that its pull did not reach runs once more; a poke it reached does not', async () => {
    const a = await device();
    await newVault(a);
    await a.engine.createAccount({ serverUrl: server.url, email: email(), masterPassword: MASTER });
    const orgId = (await a.engine.local.getSyncLink())!.orgId;
    const during = async (seq: () => Promise<number>) => {
      let poked = false;
      a.fault = async (url, _init, pass) => {
        // Told while the run's pull is on its way: a change at `seq` on the server.
        if (url.pathname === '/api/v1/sync' && !poked) {
          poked = true;
          void a.engine.poked(await seq());
        }
        return pass();
      };
      const before = pullsOf(a);
      await a.engine.syncNow();
      a.fault = undefined;
      return pullsOf(a) - before;
    };
    expect(await during(async () => orgSeq(orgId))).toBe(1);
    expect(await during(async () => (await orgSeq(orgId)) + 1)).toBe(2);
  });

  it("pokes during a failure's backoff wait for it: a server poking during each refused run gets no more requests", async () => {
    const a = await device();
    await newVault(a);
    await a.vault.create({ safeName: 'Personal', envName: 'Development', keyValuePairs: { DB_URL: 'x' } });
    await a.engine.createAccount({ serverUrl: server.url, email: email(), masterPassword: MASTER });
    await a.vault.update({ safeName: 'Personal', envName: 'Development', key: 'DB_URL', value: 'y' });
    let pushes = 0;
    a.fault = async (url, _init, pass) => {
      if (url.pathname !== '/api/v1/items/batch') return pass();
      pushes++;
      // Another device's change announced while this device's push is refused (or a hostile server's poke).
      if (pushes < 20) void a.engine.poked(0);
      return jsonResponse(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '60' });
    };
    const status = await a.engine.syncNow({ scheduled: true });
    expect(status.retryAt).toBeGreaterThan(Date.now() + 50_000);
    expect(pushes).toBe(1);
    await a.engine.poked(0);
    await a.engine.poked(Number.MAX_SAFE_INTEGER);
    expect(pushes).toBe(1);
    a.fault = undefined;
  });
});
