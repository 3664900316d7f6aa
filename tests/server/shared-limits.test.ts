/**
 * Request limits hold across server processes on one database: two servers (on PostgreSQL, each
 * with its own connection pool; on PGlite, sharing the one embedded database) count one budget per
 * client address, per token and for registration. WebSocket upgrades count against the address
 * budget too. tests/deploy/nginx.test.ts checks the same with two real processes behind nginx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Config } from '../../server/config';
import type { Database } from '../../server/db/types';
import { createServer } from '../../server/server';
import { Api } from './helpers/api';
import { type Backend, backends, createStore, testConfig } from './helpers/harness';

interface Pair {
  apis: [Api, Api];
  urls: [string, string];
  stop(): Promise<void>;
}

async function twoServers(backend: Backend, config: Config): Promise<Pair> {
  const store = await createStore(backend);
  const first = await store.open();
  const databases: Database[] = backend === 'postgres' ? [first, await store.open()] : [first];
  const servers = [await createServer({ database: databases[0]!, config }), await createServer({ database: databases.at(-1)!, config })];
  const urls = (await Promise.all(servers.map((s) => s.listen(0, '127.0.0.1')))).map((l) => l.url) as [string, string];
  return {
    apis: [new Api(urls[0]), new Api(urls[1])],
    urls,
    async stop() {
      for (const s of servers) await s.close();
      for (const d of databases) await d.close();
      await store.destroy();
    },
  };
}

/** The status of a WebSocket upgrade: 101 when it opened, else the HTTP status the server answered. */
function upgradeStatus(url: string): Promise<{ status: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`);
    socket.once('open', () => {
      socket.terminate();
      resolve({ status: 101 });
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined });
      socket.terminate();
    });
    socket.once('error', (error) => (error.message.includes('Unexpected server response') ? undefined : reject(error)));
  });
}

describe.each(backends)('limits shared by two servers on one database (%s)', (backend) => {
  let pair: Pair;
  afterAll(async () => pair?.stop());

  describe('per client address', () => {
    beforeAll(async () => {
      pair = await twoServers(backend, testConfig({ rateLimit: { perAddress: 6, windowSeconds: 60 } }));
    });

    it('refuses the 7th request of a window whichever server gets it, upgrades included', async () => {
      const statuses: number[] = [];
      // Requests 1–5 take turns between the servers (three on one, two on the other)…
      for (let i = 0; i < 5; i++) statuses.push((await pair.apis[i % 2]!.get('/healthz')).status);
      // …the 6th is a WebSocket upgrade, which spends the budget like any request…
      const upgrade = await upgradeStatus(pair.urls[1]);
      expect(upgrade.status).toBe(101);
      // …and the 7th is refused by both, each on its own having seen at most four.
      for (const api of pair.apis) {
        const over = await api.get('/healthz');
        statuses.push(over.status);
        expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(over.body.error.code).toBe('rate_limited');
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      // An upgrade over the budget is refused before any WebSocket opens.
      for (const url of pair.urls) {
        const refused = await upgradeStatus(url);
        expect(refused.status).toBe(429);
        expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      }
    });
  });

  describe('with slices of the window claimed ahead', () => {
    const limit = 200;
    let own: Pair;
    beforeAll(async () => {
      own = await twoServers(backend, testConfig({ rateLimit: { perAddress: limit, windowSeconds: 60 } }));
    });
    afterAll(async () => own?.stop());

    it('lets exactly the limit through when 260 requests arrive at once over both servers', async () => {
      // Each server alone would pass all of its 130: only a shared count refuses any.
      const replies = await Promise.all(Array.from({ length: 260 }, (_, i) => own.apis[i % 2]!.get('/healthz')));
      const passed = replies.filter((r) => r.status === 200).length;
      expect(replies.every((r) => r.status === 200 || r.status === 429)).toBe(true);
      expect(passed).toBe(limit);
    });
  });

  describe('per token and for registration', () => {
    let own: Pair;
    beforeAll(async () => {
      own = await twoServers(backend, testConfig({ rateLimit: { perToken: 4 }, registration: { perAddress: 3, perServer: 100 } }));
    });
    afterAll(async () => own?.stop());

    it('counts a token over both servers', async () => {
      const a = await own.apis[0].signup('token-shared');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await own.apis[i % 2]!.get('/api/v1/org/memberships', { token: a.token })).status);
      // signup's login spent none of the token's budget: 4 pass, over both servers.
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    });

    it('counts registrations from one address over both servers', async () => {
      // The signup above spent one registration of this address's three.
      const register = (i: number) =>
        own.apis[i % 2]!.post('/api/v1/auth/register', {
          body: { email: `shared-${i}-${Date.now()}@example.test`, password: 'long enough' },
        });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await register(i)).status);
      expect(statuses).toEqual([201, 201, 429, 429]);
    });
  });
});
