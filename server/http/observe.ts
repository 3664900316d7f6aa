/**
 * One log line and the metrics for every request: method, route pattern, status, duration, and
 * the client's address as the rate limit sees it. Nothing else from the request is read: not the
 * query string (cursors), not a header (the bearer token), not the body (e-mails, passwords).
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../log';
import type { ServerMetrics } from '../metrics';
import type { AppEnv } from './env';

/** The matched route's pattern, or `unmatched` (404s must not make a series per path). */
function routeLabel(c: Parameters<MiddlewareHandler<AppEnv>>[0]): string {
  const pattern = routePath(c, -1);
  return !pattern || pattern.endsWith('*') ? 'unmatched' : pattern;
}

export function observeRequests(log: Logger, metrics: ServerMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = routeLabel(c);
      const method = c.req.method;
      // Errors have been turned into answers by now (app.onError), so c.res is what the client gets.
      const status = c.res.status;
      metrics.requests.inc({ method, route, status: String(status) });
      metrics.duration.observe({ method, route }, seconds);
      if (log.isLevelEnabled('info')) {
        log.info({ method, route, status, ms: Math.round(seconds * 10000) / 10 }, 'request');
      }
    }
  };
}
