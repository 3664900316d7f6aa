/**
 * What an operator sees: one JSON log line per request with no e-mail, token or body in it,
 * Prometheus metrics at /metrics for the operator only, and a warning (log and /healthz) when a
 * reverse proxy forwards to a server that was not told to trust it.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { createServer, type KeysmithServer } from '../../server/server';
import type { Database } from '../../server/db/types';
import { Api } from './helpers/api';
import { backends, createStore, type Store, testConfig } from './helpers/harness';

const METRICS_TOKEN = `${'a'.repeat(20)}metrics-token-for-tests`;

class Lines extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  json = () => this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function start(store: Store, overrides: Parameters<typeof testConfig>[0] = {}) {
  const out = new Lines();
  const database: Database = await store.open();
  const server: KeysmithServer = await createServer({ database, config: testConfig(overrides), log: createLogger('info', out) });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    out,
    api: new Api(url),
    stop: async () => {
      await server.close();
      await database.close();
    },
  };
}

describe.each(backends)('observability on %s', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await createStore(backend);
  });
  afterAll(() => store.destroy());

  it('logs one JSON line per request, with route, status and duration, and never the e-mail, password or token', async () => {
    const s = await start(store);
    try {
      const email = `Log.Me-${Date.now()}@Example.test`;
      const password = 'a password that must not be logged';
      expect((await s.api.post('/api/v1/auth/register', { body: { email, password } })).status).toBe(201);
      const login = await s.api.post('/api/v1/auth/login', { body: { email, password } });
      expect(login.status).toBe(200);
      const token: string = login.body.access_token;
      const bad = await s.api.post('/api/v1/auth/login', { body: { email, password: 'wrong password' } });
      expect(bad.status).toBe(401);
      const memberships = await s.api.get('/api/v1/org/memberships', { token });
      expect(memberships.status).toBe(200);
      await s.api.get(`/api/v1/auth/prelogin?email=${encodeURIComponent(email)}`);

      const all = s.out.lines.join('\n');
      for (const secret of [email, email.toLowerCase(), encodeURIComponent(email), password, token, 'wrong password']) {
        expect(all, secret).not.toContain(secret);
      }
      const requests = s.out.json().filter((l) => l.msg === 'request');
      expect(requests.map((l) => [l.method, l.route, l.status])).toEqual([
        ['POST', '/api/v1/auth/register', 201],
        ['POST', '/api/v1/auth/login', 200],
        ['POST', '/api/v1/auth/login', 401],
        ['GET', '/api/v1/org/memberships', 200],
        ['GET', '/api/v1/auth/prelogin', 200],
      ]);
      for (const line of requests) {
        expect(typeof line.ms).toBe('number');
        expect(Object.keys(line).sort()).toEqual(['level', 'method', 'ms', 'msg', 'pid', 'route', 'status', 'time']);
      }
    } finally {
      await s.stop();
    }
  });

  it('serves Prometheus metrics by route pattern and status, to loopback only when no token is set', async () => {
    const s = await start(store);
    try {
      await s.api.get('/healthz');
      await s.api.get('/api/v1/sync');
      await s.api.get(`/no/such/route/${Date.now()}`);
      const metrics = await s.api.get('/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const text = String(metrics.body);
      expect(text).toContain('keysmith_http_requests_total{method="GET",route="/healthz",status="200"} 1');
      expect(text).toContain('keysmith_http_requests_total{method="GET",route="/api/v1/sync",status="401"} 1');
      expect(text).toContain('keysmith_http_requests_total{method="GET",route="unmatched",status="404"} 1');
      // In the histogram, whatever its duration on a loaded machine.
      expect(text).toMatch(/keysmith_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/healthz"\} 1/);
      expect(text).toContain('keysmith_http_request_duration_seconds_count{method="GET",route="/healthz"} 1');
      expect(text).toContain('keysmith_live_connections 0');
      expect(text).toContain(`keysmith_db_pool_size ${backend === 'pglite' ? 1 : 10}`);
      if (backend === 'postgres') expect(text).toMatch(/keysmith_db_connections\{state="(active|idle)"\} [1-9]/);

      // A request relayed by a proxy on this host comes from loopback too: it is not local.
      const relayed = await s.api.get('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(relayed.status).toBe(404);
    } finally {
      await s.stop();
    }
  });

  it('with KEYSMITH_METRICS_TOKEN, serves /metrics only for that bearer token', async () => {
    const s = await start(store, { metricsToken: METRICS_TOKEN });
    try {
      expect((await s.api.get('/metrics')).status).toBe(404);
      expect((await s.api.get('/metrics', { token: `${METRICS_TOKEN}x` })).status).toBe(404);
      expect((await s.api.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN.slice(1)}` } })).status).toBe(404);
      const ok = await s.api.get('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(String(ok.body)).toContain('keysmith_http_requests_total');
    } finally {
      await s.stop();
    }
  });

  it('warns in the log and in /healthz when forwarded headers come from loopback while TRUST_PROXY is unset', async () => {
    const s = await start(store);
    try {
      expect((await s.api.get('/healthz')).body).toEqual({ status: 'ok', database: backend });
      expect(s.out.json().some((l) => l.warning === 'untrusted_proxy')).toBe(false);
      await s.api.get('/healthz', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      const health = await s.api.get('/healthz');
      expect(health.status).toBe(200);
      expect(health.body.warnings).toEqual([
        { code: 'untrusted_proxy', message: expect.stringContaining('Set TRUST_PROXY to the number of reverse proxies') },
      ]);
      expect(s.out.json().filter((l) => l.warning === 'untrusted_proxy')).toHaveLength(1);
    } finally {
      await s.stop();
    }
    const trusting = await start(store, { trustProxy: 1 });
    try {
      await trusting.api.get('/healthz', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect((await trusting.api.get('/healthz')).body).toEqual({ status: 'ok', database: backend });
    } finally {
      await trusting.stop();
    }
  });
});
