/**
 * The device's live connection (lib/sync/live.ts) against the real server over 127.0.0.1, with the
 * `ws` package as its WebSocket: it authenticates, hears pokes, comes back by itself after the server
 * restarts (and says so, which is when the device retries at once), renews a refused token, and
 * stays closed once stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LiveConnection, type LiveSession, type LiveSocket, liveUrl } from '../../lib/sync/live';
import { createServer, type KeysmithServer } from '../../server/server';
import type { Database } from '../../server/db/types';
import { type Account, Api, item } from './helpers/api';
import { backends, createStore, type Store, testConfig } from './helpers/harness';

const until = async (check: () => boolean, what: string, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(backends)('live connection of a device (%s)', (backend) => {
  let store: Store;
  let database: Database;
  let server: KeysmithServer;
  let port: number;
  let url: string;
  let api: Api;
  let alice: Account;
  let safe: string;

  const start = async (at = 0) => {
    database = await store.open();
    server = await createServer({ database, config: testConfig() });
    ({ port, url } = await server.listen(at, '127.0.0.1'));
  };
  const stop = async () => {
    await server.close();
    await database.close();
  };

  beforeAll(async () => {
    store = await createStore(backend, { persistent: true });
    await start();
    api = new Api(url);
    alice = await api.signup('alice');
    safe = await api.createSafe(alice);
  });
  afterAll(async () => {
    await stop().catch(() => undefined);
    await store?.destroy();
  });

  function device(session: () => Promise<LiveSession | undefined>) {
    const events = { ready: 0, changes: [] as number[], refused: 0 };
    const live = new LiveConnection({
      WebSocket: WebSocket as unknown as new (url: string) => LiveSocket,
      session,
      onReady: () => events.ready++,
      onChange: (seq) => events.changes.push(seq),
      onRefused: async () => void events.refused++,
      maxBackoffMs: 300,
    });
    return { live, events };
  }

  it('builds the socket address from the server address', () => {
    expect(liveUrl('https://sync.example.test/keysmith/')).toBe('wss://sync.example.test/keysmith/api/v1/live');
    expect(liveUrl('http://127.0.0.1:8787')).toBe('ws://127.0.0.1:8787/api/v1/live');
  });

  it('hears a push from another device, comes back after a server restart, and stays closed once stopped', async () => {
    const { live, events } = device(async () => ({ serverUrl: url, token: alice.token, orgId: alice.orgId }));
    live.start();
    live.start(); // one connection, however often it is asked for
    await until(() => events.ready === 1, 'ready');
    expect(server.liveConnections()).toBe(1);
    await api.push(alice, [item('from-elsewhere', safe)]);
    await until(() => events.changes.length === 1, 'a poke');

    // The server goes away and comes back on the same address: the device reconnects by itself and
    // says so (the background then syncs at once, backoff or not).
    await stop();
    await start(port);
    await until(() => events.ready === 2, 'ready again');
    expect(live.connected).toBe(true);

    live.stop();
    await until(() => server.liveConnections() === 0, 'the socket closed');
    await new Promise((r) => setTimeout(r, 700));
    expect(server.liveConnections()).toBe(0);
    expect(events.ready).toBe(2);
  });

  it('asks for a fresh token when the server refuses one, then connects with it', async () => {
    let token = 'not-a-real-token-at-all-0000000000000';
    const { live, events } = device(async () => ({ serverUrl: url, token, orgId: alice.orgId }));
    live.start();
    await until(() => events.refused === 1, 'refused');
    token = alice.token;
    await until(() => events.ready === 1, 'ready with the fresh token');
    live.stop();
  });

  it('does not connect while there is no session (locked, not linked)', async () => {
    const { live, events } = device(async () => undefined);
    live.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(events.ready).toBe(0);
    expect(server.liveConnections()).toBe(0);
  });
});
