/**
 * In-memory fixed-window request counters, one per client address and one per bearer token.
 * Every response reports the tightest applicable figures in `x-ratelimit-limit` and
 * `x-ratelimit-remaining`; over the limit the answer is 429 with `Retry-After`.
 * Per-process only: several instances each count on their own (the login-failure lock, which
 * matters for security, lives in the database instead).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { tooManyRequests } from '../errors';
import { addressBucket, clientAddressFrom } from './client-address';
import type { AppEnv } from './env';

export class FixedWindowLimiter {
  private counts = new Map<string, number>();
  private windowStart = Date.now();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one request for `key`; returns what is left, or the seconds to wait when over. */
  hit(key: string): { remaining: number; retryAfterSeconds: number | null } {
    const now = Date.now();
    if (now - this.windowStart >= this.windowMs) {
      // One shared window keeps memory bounded: all counters are dropped together.
      this.counts.clear();
      this.windowStart = now;
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    if (count > this.limit) {
      return { remaining: 0, retryAfterSeconds: (this.windowStart + this.windowMs - now) / 1000 };
    }
    return { remaining: this.limit - count, retryAfterSeconds: null };
  }
}

/** Applies a limiter and records its figures if they are the tightest so far. */
export function applyLimit(c: Context<AppEnv>, limiter: FixedWindowLimiter, key: string): void {
  const { remaining, retryAfterSeconds } = limiter.hit(key);
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

export function limitByAddress(limiter: FixedWindowLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    applyLimit(c, limiter, addressBucket(clientAddress(c)));
    await next();
  };
}
