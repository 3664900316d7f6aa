/**
 * The PGlite request gate: at most `limit` requests in progress, admitted first come first served,
 * and **at most one admitted per turn of the event loop**.
 *
 * Why one per turn: embedded PGlite runs each query synchronously on the Node thread, so a
 * delta-sync request runs from its socket's read callback to its written response without ever
 * yielding (≈2.5 ms of CPU, all in microtasks). Node's libuv (≥ 1.45, libuv PR #3696) accepts
 * only ONE new connection per event-loop iteration. With requests handled inline, one iteration
 * served every socket that had a request waiting — with 100 clients ≈ 100 × 2.5 ms ≈ 250 ms — so
 * new connections were accepted at ~4 per second: in the bench the kernel's accept queue held 92
 * connections at the start and still 4 after 10 s, and a client whose connection sat there had
 * its first request time out (10 s) although no request took more than ~0.1 s once the server
 * saw it. Admitting one request per turn (via setImmediate) keeps each iteration to one
 * request's worth of work, so accepts, reads and writes are serviced between requests; all 100
 * connections are then accepted in well under a second.
 *
 * `limit` still matters for requests that really wait (PBKDF2 on the thread pool, body reads).
 */
import type { MiddlewareHandler } from 'hono';

export function concurrencyGate(limit: number): MiddlewareHandler {
  let active = 0;
  const waiting: (() => void)[] = [];
  let scheduled = false;

  // Runs from the check phase; a setImmediate queued while it runs fires on the next turn,
  // after libuv has polled for I/O again (new connections included).
  const admitOne = () => {
    scheduled = false;
    if (active >= limit) return;
    const admit = waiting.shift();
    if (!admit) return;
    active++;
    admit();
    schedule();
  };
  const schedule = () => {
    if (scheduled || active >= limit || waiting.length === 0) return;
    scheduled = true;
    setImmediate(admitOne);
  };

  return async (_c, next) => {
    // No fast path even when idle: a request that ran inline would let every request read in the
    // same poll phase run inline too, which is the very thing this gate exists to prevent.
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      schedule();
    });
    try {
      await next();
    } finally {
      active--;
      schedule();
    }
  };
}
