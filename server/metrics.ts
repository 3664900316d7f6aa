/**
 * Prometheus metrics (prom-client), one registry per server so several servers in one process
 * (tests, the bench) keep their own figures. Scraped at GET /metrics (see http/metrics-route.ts).
 *
 * - keysmith_http_requests_total{method,route,status}: route is the pattern (`/api/v1/sync`), never
 *   the path, so ids in paths do not make a series each.
 * - keysmith_http_request_duration_seconds{method,route}: latency histogram.
 * - keysmith_live_connections: open live-update connections, set by the live route.
 * - keysmith_db_pool_size / keysmith_db_connections{state}: the pool this process may open, and the
 *   connections the database reports for this server's application name (all processes together).
 */
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from './db/types';
import { APPLICATION_NAME } from './db/open';

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  /** The live-update route calls this with the number of connections open in this process. */
  setLiveConnections(count: number): void;
}

export function createMetrics(database: Database): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'keysmith_' });
  const requests = new Counter({
    name: 'keysmith_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'keysmith_http_request_duration_seconds',
    help: 'Time from the request reaching the server to its answer, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const live = new Gauge({
    name: 'keysmith_live_connections',
    help: 'Live-update connections open in this process.',
    registers: [registry],
  });
  new Gauge({
    name: 'keysmith_db_pool_size',
    help: 'Most database connections this process opens (1 for embedded PGlite).',
    registers: [registry],
  }).set(database.poolSize);
  new Gauge({
    name: 'keysmith_db_connections',
    help: 'Connections to the database from Keysmith servers (all processes), by state, as PostgreSQL reports them.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      if (database.kind !== 'postgres') return;
      const rows = (await database.db.execute(
        sql`select coalesce(state, 'unknown') as state, count(*)::int as n from pg_stat_activity
            where datname = current_database() and application_name = ${APPLICATION_NAME} group by 1`,
      )) as unknown as { state: string; n: number }[];
      for (const row of rows) this.set({ state: row.state }, row.n);
    },
  });
  return { registry, requests, duration, setLiveConnections: (count) => live.set(count) };
}
