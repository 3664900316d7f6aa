/**
 * A FIFO limit on requests handled at once. Embedded PGlite runs queries on the Node thread one at
 * a time; with a hundred clients at once some requests starved for 10 s in the bench while others
 * were served. Admitting a few at a time, first come first served, keeps waiting fair.
 */
import type { MiddlewareHandler } from 'hono';

export function concurrencyGate(limit: number): MiddlewareHandler {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (_c, next) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      await next();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const wake = waiting.shift();
      if (wake) wake();
      else active--;
    }
  };
}
