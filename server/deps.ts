import type { LegacyHashes } from './auth/legacy-hashes';
import type { Config } from './config';
import type { CpuBudget } from './cpu-budget';
import type { Db } from './db/types';
import type { SharedLimiter } from './http/shared-limiter';
import type { Logger } from './log';
import type { ServerMetrics } from './metrics';

/** What the route groups are built from: made once per server by `createServer` (server.ts), handed to `createApp`. */
export interface Deps {
  db: Db;
  config: Config;
  /** HMAC key kept in the database: made-up prelogin answers, and the keys of login-throttle counters. */
  preloginSecret: Buffer;
  /** A hash of a random password, checked for unknown e-mails so both cases take the same time. */
  dummyPasswordHash: string;
  /** Whether an earlier server's scrypt hashes remain, so every check takes one scrypt's time (auth/legacy-hashes.ts). */
  legacyHashes: LegacyHashes;
  /** Requests per client address and per bearer token, counted across processes (http/shared-limiter.ts). */
  addressLimiter: SharedLimiter;
  tokenLimiter: SharedLimiter;
  /** The process-wide budget for PBKDF2, key-pair and legacy scrypt work (cpu-budget.ts). */
  cpu: CpuBudget;
  log: Logger;
  metrics: ServerMetrics;
}
