/**
 * Wires the API together: middleware order matters — the request log and metrics outermost (so
 * they see every answer, preflights and 429s included), then the no-store and nosniff headers (so
 * every answer has them), then CORS for the extension (so every answer it may read, errors
 * included, names its origin), then the rate-limit headers (so errors
 * carry them too), the per-address limit, the body limit, and the route groups.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'drizzle-orm';
import type { Deps } from './deps';
import { ApiError, handleError, notFound } from './errors';
import type { AppEnv } from './http/env';
import { extensionCors } from './http/cors';
import { concurrencyGate } from './http/gate';
import { metricsHandler } from './http/metrics-route';
import { observeRequests } from './http/observe';
import { ProxyWarning } from './http/proxy-warning';
import { limitByAddress, rateLimitHeaders } from './http/rate-limit';
import { securityHeaders } from './http/security-headers';
import { openApiDocument } from './openapi';
import { accountRoutes } from './routes/account';
import { authRoutes } from './routes/auth';
import { orgRoutes } from './routes/orgs';
import { safeRoutes } from './routes/safes';
import { syncRoutes } from './routes/sync';
import { toolkitRoutes } from './routes/toolkit';

/** Requests in progress at once on embedded PGlite (see http/gate.ts); PostgreSQL has a pool instead. */
const PGLITE_CONCURRENCY = 4;

export function createApp(deps: Deps, kind: string): Hono<AppEnv> {
  const { config } = deps;
  const app = new Hono<AppEnv>();
  const proxyWarning = new ProxyWarning(deps.log);

  app.onError(handleError);
  app.notFound(() => {
    throw notFound('No such route.');
  });

  app.use('*', observeRequests(deps.log, deps.metrics));
  app.use('*', securityHeaders);
  app.use('*', extensionCors);
  app.use('*', rateLimitHeaders);
  app.use('*', async (c, next) => {
    c.set('db', deps.db);
    c.set('config', config);
    await next();
  });
  app.use('*', proxyWarning.middleware());
  app.use('*', limitByAddress(deps.addressLimiter));
  const limitBody = bodyLimit({
    maxSize: config.bodyLimitBytes,
    // The rest of the body is left unread, so the connection cannot be reused: close it.
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `The request body is larger than ${config.bodyLimitBytes} bytes.`, {
        Connection: 'close',
      });
    },
  });
  // No route reads the body of a GET or HEAD, and looking for one (`c.req.raw.body`) makes
  // @hono/node-server build a full WHATWG Request with its AbortSignal: that was the largest
  // single cost of an idle sync poll (bench/server.ts, profiled with --cpu-prof).
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  if (kind === 'pglite') app.use('*', concurrencyGate(PGLITE_CONCURRENCY));

  app.get('/healthz', async (c) => {
    await deps.db.execute(sql`select 1`);
    const warnings = proxyWarning.healthWarnings();
    return c.json({ status: 'ok', database: kind, ...(warnings.length ? { warnings } : {}) });
  });
  app.get('/metrics', metricsHandler(deps.metrics));
  const openapi = openApiDocument(config);
  app.get('/openapi.json', (c) => c.json(openapi));
  app.route('/api/v1/auth', authRoutes(deps));
  app.route('/api/v1/account', accountRoutes(deps));
  app.route('/api/v1/org', orgRoutes(deps));
  app.route('/api/v1/safes', safeRoutes(deps));
  app.route('/api/v1', syncRoutes(deps));
  // Off unless KEYSMITH_TOOLKIT=on: CPU work any account could ask for, that the extension never uses.
  if (config.toolkit) app.route('/v1/auth', toolkitRoutes(deps));
  return app;
}
