/**
 * Request limits per client address and per bearer token, counted across every server process on
 * the database (shared-limiter.ts). Every response reports the tightest applicable figures in
 * `x-ratelimit-limit` and `x-ratelimit-remaining`; over the limit the answer is 429 with `Retry-After`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { tooManyRequests } from '../errors';
import { addressBucket, clientAddressFrom } from './client-address';
import type { AppEnv } from './env';
import type { SharedLimiter } from './shared-limiter';

/** Applies a limiter and records its figures if they are the tightest so far. */
export async function applyLimit(c: Context<AppEnv>, limiter: SharedLimiter, key: string): Promise<void> {
  const { remaining, retryAfterSeconds } = await limiter.hit(key);
  const current = c.get('rateLimit');
  if (!current || remaining < current.remaining) c.set('rateLimit', { limit: limiter.limit, remaining });
  if (retryAfterSeconds !== null) {
    throw tooManyRequests(retryAfterSeconds, 'Too many requests. Wait before trying again.');
  }
}

/** The TCP peer's address ('unknown' when the request did not come over a Node socket). */
export function peerAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // not a Node socket (e.g. app.request in a script): one shared bucket
    return 'unknown';
  }
}

/**
 * The TCP peer, or with TRUST_PROXY the client our proxies saw (see client-address.ts). Counters
 * take its `addressBucket` (an IPv6 client's /64) instead.
 */
export function clientAddress(c: Context<AppEnv>): string {
  return clientAddressFrom(c.req.header('x-forwarded-for'), c.get('config').trustProxy, peerAddress(c));
}

/** Outermost middleware: stamps the rate-limit headers on every response, errors included. */
export const rateLimitHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const figures = c.get('rateLimit');
  if (figures) {
    c.res.headers.set('x-ratelimit-limit', String(figures.limit));
    c.res.headers.set('x-ratelimit-remaining', String(figures.remaining));
  }
};

export function limitByAddress(limiter: SharedLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await applyLimit(c, limiter, addressBucket(clientAddress(c)));
    await next();
  };
}

type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * WebSocket upgrades (GET /api/v1/live) reach Node's `upgrade` event, never Hono's middleware, so
 * they are counted here against the same per-address budget: otherwise a client refused 429 on
 * every route could still open sockets (and token checks) without limit (OWASP API Security Top 10
 * 2023, API4 "Unrestricted Resource Consumption").
 */
export function limitUpgrades(limiter: SharedLimiter, trustProxy: number, upgrade: UpgradeHandler): UpgradeHandler {
  return (request, socket, head) => {
    // Node removed its own error handler when it handed the socket over; a reset while we wait
    // for the database must not crash the process.
    const dropped = () => socket.destroy();
    socket.on('error', dropped);
    const forwarded = request.headers['x-forwarded-for'];
    const address = clientAddressFrom(
      Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      trustProxy,
      request.socket.remoteAddress ?? 'unknown',
    );
    limiter.hit(addressBucket(address)).then(
      ({ retryAfterSeconds }) => {
        socket.off('error', dropped);
        if (socket.destroyed) return;
        if (retryAfterSeconds === null) return upgrade(request, socket, head);
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${Math.ceil(retryAfterSeconds)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
        );
      },
      () => {
        socket.off('error', dropped);
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    );
  };
}
