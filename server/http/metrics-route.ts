/**
 * GET /metrics for Prometheus. The figures say how busy the server is and which routes fail, which
 * is for the operator only, so:
 * - with KEYSMITH_METRICS_TOKEN set, only a request carrying `Authorization: Bearer <that token>`
 *   gets them (compared in constant time, so the token cannot be guessed byte by byte from timing);
 * - without it, only a request whose TCP peer is this machine's loopback and that carries no
 *   forwarded-address header: a request relayed by a reverse proxy on this host comes from
 *   loopback too, and must not count as local (the nginx site also answers 404 for /metrics).
 * Anything else gets 404, as if the route did not exist.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { notFound } from '../errors';
import type { ServerMetrics } from '../metrics';
import type { AppEnv } from './env';
import { peerAddress } from './rate-limit';

const LOOPBACK = /^(?:127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/i;
const digest = (value: string) => createHash('sha256').update(value).digest();

function allowed(c: Context<AppEnv>, token: string | null): boolean {
  if (token) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    // Equal-length digests: timingSafeEqual needs them, and the length of the token stays hidden.
    return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
  }
  const forwarded = c.req.header('x-forwarded-for') ?? c.req.header('x-real-ip') ?? c.req.header('forwarded');
  return forwarded === undefined && LOOPBACK.test(peerAddress(c));
}

export function metricsHandler(metrics: ServerMetrics) {
  return async (c: Context<AppEnv>) => {
    if (!allowed(c, c.get('config').metricsToken)) throw notFound('No such route.');
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  };
}
