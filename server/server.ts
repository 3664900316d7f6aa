/**
 * A server you can construct in-process: `createServer({database, config})`, then `listen`
 * (port 0 picks a free one) and `close` (stop accepting, finish in-flight requests). Closing the
 * database stays with whoever opened it.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { hashPassword } from './auth/password';
import { LegacyHashes } from './auth/legacy-hashes';
import { loadPreloginSecret } from './auth/prelogin';
import { createApp } from './app';
import { type Config, defaultConfig } from './config';
import { CpuBudget } from './cpu-budget';
import type { Database } from './db/types';
import { limitUpgrades } from './http/rate-limit';
import { SharedLimiter } from './http/shared-limiter';
import { housekeeping } from './housekeeping';
import { type Logger, silentLogger } from './log';
import { createMetrics, type ServerMetrics } from './metrics';

import { CHANGES_CHANNEL, parseChange } from './live/changes';
import { createLiveHub, type LiveOptions } from './live/hub';

export interface KeysmithServer {
  app: ReturnType<typeof createApp>;
  metrics: ServerMetrics;
  /** Open live-update sockets (GET /api/v1/live), for a metrics gauge. */
  liveConnections(): number;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
}

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

export interface ServerOptions {
  database: Database;
  config?: Config;
  /** Where the request log goes; nothing is logged without one. */
  log?: Logger;
  live?: LiveOptions;
}

export async function createServer(options: ServerOptions): Promise<KeysmithServer> {
  const config = options.config ?? defaultConfig;
  const { db, kind } = options.database;
  const log = options.log ?? silentLogger();
  const metrics = createMetrics(options.database);
  const preloginSecret = await loadPreloginSecret(db);
  const legacyHashes = new LegacyHashes();
  await legacyHashes.refresh(db);
  const { perAddress, perToken, windowSeconds } = config.rateLimit;
  const addressLimiter = new SharedLimiter(db, preloginSecret, 'address', perAddress, windowSeconds);
  const app = createApp(
    {
      db,
      config,
      preloginSecret,
      dummyPasswordHash: hashPassword(randomBytes(16).toString('hex')),
      legacyHashes,
      addressLimiter,
      tokenLimiter: new SharedLimiter(db, preloginSecret, 'token', perToken, windowSeconds),
      cpu: new CpuBudget(config.cpu.slots, config.cpu.queue),
      log,
      metrics,
    },
    kind,
  );
  // Handlers keep running when a client hangs up mid-request, so count them: close() waits for
  // zero before the caller closes the database under them.
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  const http = createAdaptorServer({
    fetch: async (request: Request, env: unknown) => {
      inFlight++;
      try {
        return await app.fetch(request, env);
      } finally {
        if (--inFlight === 0) onIdle?.();
      }
    },
  }) as Server;
  // Live updates: this process LISTENs once; every committed change pokes the org's sockets here.
  const live = createLiveHub(db, {
    ...options.live,
    onCount: (open) => {
      metrics.setLiveConnections(open);
      options.live?.onCount?.(open);
    },
  });
  http.on('upgrade', limitUpgrades(addressLimiter, config.trustProxy, live.upgrade));
  const unlisten = await options.database.listen(CHANGES_CHANNEL, (payload) => {
    const change = parseChange(payload);
    if (change) live.changed(change);
  });
  const drained = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (onIdle = resolve)));
  let tidyTimer: NodeJS.Timeout | undefined;

  let tidying: Promise<unknown> = Promise.resolve();
  const tidy = () => {
    tidying = Promise.all([housekeeping(db, config), legacyHashes.refresh(db)]).catch((error) =>
      log.error({ err: error }, 'housekeeping failed'),
    );
  };

  return {
    app,
    metrics,
    liveConnections: live.count,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const address = http.address() as AddressInfo;
          tidy();
          tidyTimer = setInterval(tidy, HOUSEKEEPING_INTERVAL_MS).unref();
          resolve({ port: address.port, url: listenUrl(host, address.port) });
        });
      });
    },
    async close() {
      clearInterval(tidyTimer);
      await live.close();
      await unlisten().catch(() => undefined);
      await new Promise<void>((resolve, reject) => {
        if (!http.listening) return resolve();
        // close() stops accepting and waits for open connections; idle keep-alive
        // sockets would otherwise hold it open.
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeIdleConnections();
      });
      await drained();
      await tidying;
    },
  };
}

/** The address to print and to connect to: an IPv6 host goes in brackets (RFC 3986 §3.2.2), `http://[::1]:8080`. */
export function listenUrl(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}
