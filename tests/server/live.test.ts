/**
 * Live updates over a real WebSocket on 127.0.0.1: the token comes in the first message (never the
 * URL), a socket without a valid one is closed, and a push from another device pokes the org's
 * sockets, also across two server processes on one PostgreSQL database (LISTEN/NOTIFY).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveClose, type LiveOptions } from '../../server/live/hub';
import { createServer } from '../../server/server';
import { type Account, Api, item } from './helpers/api';
import { backends, createStore, type Store, testConfig } from './helpers/harness';

interface Client {
  socket: WebSocket;
  messages: Array<{ type: string; seq?: number }>;
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the next message of this type (or one already received). */
  next(type: string, timeoutMs?: number): Promise<{ type: string; seq?: number }>;
}

function connect(url: string, path = '/api/v1/live'): Promise<Client> {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + path);
  const messages: Client['messages'] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const next = async (type: string, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = messages.findIndex((m) => m.type === type);
      if (index >= 0) return messages.splice(index, 1)[0]!;
      if (Date.now() > deadline) throw new Error(`no "${type}" message within ${timeoutMs} ms (got ${JSON.stringify(messages)})`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages, closed, next }));
    socket.once('error', reject);
  });
}

async function authed(url: string, account: Account): Promise<Client> {
  const client = await connect(url);
  client.socket.send(JSON.stringify({ type: 'auth', token: account.token, org: account.orgId }));
  await client.next('ready');
  return client;
}

const LIVE: LiveOptions = { authTimeoutMs: 300, idleTimeoutMs: 1500, recheckMs: 200, sweepMs: 50 };

describe.each(backends)('live updates (%s)', (backend) => {
  let store: Store;
  const servers: Array<{ url: string; close(): Promise<void> }> = [];
  let url: string;
  let api: Api;
  let alice: Account;
  let mallory: Account;
  let safe: string;

  const start = async (live: LiveOptions = LIVE) => {
    const database = await store.open();
    const server = await createServer({ database, config: testConfig(), live });
    const { url } = await server.listen(0, '127.0.0.1');
    const running = {
      url,
      server,
      close: async () => {
        await server.close();
        await database.close();
      },
    };
    servers.push(running);
    return running;
  };

  beforeAll(async () => {
    store = await createStore(backend);
    ({ url } = await start());
    api = new Api(url);
    alice = await api.signup('alice');
    mallory = await api.signup('mallory');
    safe = await api.createSafe(alice);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await store?.destroy();
  });

  it('pokes a connected device with the new sequence number when another device pushes, and nothing else', async () => {
    const device = await authed(url, alice);
    const other = await authed(url, mallory);
    const pushed = await api.push(alice, [item('live-1', safe)]);
    expect(pushed.body.results[0].ok).toBe(true);
    const poke = await device.next('changed');
    expect(Object.keys(poke).sort()).toEqual(['seq', 'type']); // no content, no ids
    const pulled = await api.sync(alice);
    expect(pulled.body.items.map((i: { id: string }) => i.id)).toContain('live-1');
    expect(poke.seq).toBeGreaterThan(0);
    // Another org's device hears nothing of it.
    await new Promise((r) => setTimeout(r, 200));
    expect(other.messages).toEqual([]);
    device.socket.close();
    other.socket.close();
  });

  it('answers pings, which keep a socket open past the idle limit', async () => {
    const device = await authed(url, alice);
    for (let i = 0; i < 4; i++) {
      device.socket.send(JSON.stringify({ type: 'ping' }));
      await device.next('pong');
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(device.socket.readyState).toBe(WebSocket.OPEN);
    // Silent from now on: the server drops it.
    const { code } = await device.closed;
    expect(code).toBe(1006); // terminated without a closing handshake
  });

  it('closes a socket that sends no token in time, or anything but auth first', async () => {
    const silent = await connect(url);
    expect((await silent.closed).code).toBe(LiveClose.badRequest);
    const rude = await connect(url);
    rude.socket.send(JSON.stringify({ type: 'hello' }));
    expect((await rude.closed).code).toBe(LiveClose.badRequest);
  });

  it('closes a socket with a wrong token, or a token of another org, and it never hears a poke', async () => {
    const wrong = await connect(url);
    wrong.socket.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(43), org: alice.orgId }));
    expect((await wrong.closed).code).toBe(LiveClose.unauthorized);
    const intruder = await connect(url);
    intruder.socket.send(JSON.stringify({ type: 'auth', token: mallory.token, org: alice.orgId }));
    expect((await intruder.closed).code).toBe(LiveClose.forbidden);
    expect([...wrong.messages, ...intruder.messages]).toEqual([]);
  });

  it('closes a socket whose token is revoked (sign-out) at its next check', async () => {
    const token = await api.login(alice.email, alice.password);
    const device = await authed(url, { ...alice, token });
    expect((await api.post('/api/v1/auth/logout', { token })).status).toBe(204);
    expect((await device.closed).code).toBe(LiveClose.unauthorized);
  });

  it('refuses other paths and more sockets than the process may hold', async () => {
    await expect(connect(url, '/api/v1/other')).rejects.toThrow(/404/);
    const small = await start({ ...LIVE, maxConnections: 2 });
    const one = await connect(small.url);
    const two = await connect(small.url);
    await expect(connect(small.url)).rejects.toThrow(/503/);
    expect(small.server.liveConnections()).toBe(2);
    one.socket.close();
    two.socket.close();
  });

  // Processes share changes through PostgreSQL; PGlite is embedded in one process.
  if (backend === 'postgres')
    it('pokes a device connected to another server process on the same database', async () => {
      const second = await start();
      const device = await authed(second.url, alice);
      expect((await api.push(alice, [item('live-2', safe)])).body.results[0].ok).toBe(true); // through the first process
      expect((await device.next('changed')).seq).toBeGreaterThan(0);
      device.socket.close();
    });
});
