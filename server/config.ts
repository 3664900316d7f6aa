import { availableParallelism } from 'node:os';

export const REGISTRATION_MODES = ['open', 'invite', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];

/**
 * Every server setting, with its default. `loadConfig` reads them from the environment;
 * tests and the bench build a Config directly to use short expiries or high limits.
 */
import { LOG_LEVELS, type LogLevel } from './log';

export interface Config {
  /** Largest request body accepted, in bytes (413 above it). */
  bodyLimitBytes: number;
  /** Lifetime of a bearer token, in seconds. */
  tokenTtlSeconds: number;
  /** Toolkit requests (key generation, PBKDF2) one user may have in progress at once (429 beyond). */
  toolkitConcurrencyPerUser: number;
  /**
   * Whether the Toolkit routes (/v1/auth/…) exist at all. The extension never calls them, and each
   * one is CPU work an account can ask for, so they are off unless the operator turns them on.
   */
  toolkit: boolean;
  /**
   * CPU-heavy work (PBKDF2 and key pairs in the Toolkit, an earlier server's scrypt hashes at login) across the
   * whole process: `slots` jobs run at once, `queue` more wait; beyond that the answer is 503 with
   * Retry-After (server/cpu-budget.ts).
   */
  cpu: { slots: number; queue: number };
  registration: {
    /** open: anyone; invite: with a one-use code an operator printed; closed: nobody. */
    mode: RegistrationMode;
    windowSeconds: number;
    /** Registration attempts per window per client address (IPv6: per /64). */
    perAddress: number;
    /** Registration attempts per window across the whole server. */
    perServer: number;
  };
  /** Most stored per organization (an account's personal org): live items, and their ciphertext bytes. */
  quota: { items: number; bytes: number };
  /**
   * Reverse proxies in front of the server whose X-Forwarded-For entries are believed (0: none,
   * the TCP peer is the client). See server/http/client-address.ts.
   */
  trustProxy: number;
  rateLimit: {
    windowSeconds: number;
    /** Requests per window per client address. */
    perAddress: number;
    /** Requests per window per bearer token. */
    perToken: number;
  };
  login: {
    /** Consecutive failures before an account is locked for the client address they came from. */
    maxFailures: number;
    /** Failures from one client address, over any accounts, before that address is locked. */
    maxFailuresPerAddress: number;
    /** How long the per-address count lasts without a new failure. */
    addressWindowSeconds: number;
    /** First lock length; doubles with each further failure. */
    lockBaseSeconds: number;
    lockMaxSeconds: number;
  };
  /** Tombstones older than this are purged; cursors from before the purge get `fullResync`. */
  tombstoneRetentionSeconds: number;
  /** Most items one sync page returns. */
  syncMaxLimit: number;
  /** Most items one batch write accepts. */
  batchMaxItems: number;
  /** Bearer token GET /metrics asks for; null: /metrics answers only loopback, unproxied requests. */
  metricsToken: string | null;
}

export const defaultConfig: Config = {
  bodyLimitBytes: 1024 * 1024,
  tokenTtlSeconds: 3600,
  toolkitConcurrencyPerUser: 2,
  toolkit: false,
  cpu: { slots: Math.max(1, availableParallelism()), queue: 32 },
  registration: { mode: 'open', windowSeconds: 3600, perAddress: 10, perServer: 100 },
  quota: { items: 10_000, bytes: 50 * 1024 * 1024 },
  trustProxy: 0,
  rateLimit: { windowSeconds: 60, perAddress: 1200, perToken: 600 },
  login: { maxFailures: 10, maxFailuresPerAddress: 100, addressWindowSeconds: 15 * 60, lockBaseSeconds: 30, lockMaxSeconds: 15 * 60 },
  tombstoneRetentionSeconds: 90 * 24 * 3600,
  syncMaxLimit: 5000,
  batchMaxItems: 1000,
  metricsToken: null,
};

export function configWith(overrides: DeepPartial<Config> = {}): Config {
  return {
    ...defaultConfig,
    ...overrides,
    rateLimit: { ...defaultConfig.rateLimit, ...overrides.rateLimit },
    login: { ...defaultConfig.login, ...overrides.login },
    cpu: { ...defaultConfig.cpu, ...overrides.cpu },
    registration: { ...defaultConfig.registration, ...overrides.registration },
    quota: { ...defaultConfig.quota, ...overrides.quota },
  } as Config;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  }
  return value;
}

/**
 * TRUST_PROXY counts proxies; other servers' settings of that name take `true` or addresses,
 * which would mean something else here, so anything but a small whole number stops the start-up.
 */
export const TRUST_PROXY_MAX = 10;
function trustProxyFromEnv(env: NodeJS.ProcessEnv, fallback: number): number {
  const raw = env.TRUST_PROXY;
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value > TRUST_PROXY_MAX) {
    throw new Error(
      `TRUST_PROXY must be the number of reverse proxies in front of the server, a whole number from 0 (none: ` +
        `X-Forwarded-For is ignored) to ${TRUST_PROXY_MAX}, got "${raw}"`,
    );
  }
  return value;
}

/** An on/off switch: `on`/`off` (also true/false, 1/0); anything else stops the start-up. */
function switchFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1'].includes(raw)) return true;
  if (['off', 'false', '0'].includes(raw)) return false;
  throw new Error(`${name} must be on or off, got "${env[name]}"`);
}

function registrationFromEnv(env: NodeJS.ProcessEnv, fallback: RegistrationMode): RegistrationMode {
  const raw = env.KEYSMITH_REGISTRATION?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if ((REGISTRATION_MODES as readonly string[]).includes(raw)) return raw as RegistrationMode;
  throw new Error(`KEYSMITH_REGISTRATION must be open, invite or closed, got "${env.KEYSMITH_REGISTRATION}"`);
}

/** A guessable token would open the metrics to anyone: at least 32 characters. */
function metricsTokenFromEnv(env: NodeJS.ProcessEnv): string | null {
  const raw = env.KEYSMITH_METRICS_TOKEN;
  if (raw === undefined || raw === '') return null;
  if (raw.length < 32 || /\s/.test(raw)) {
    throw new Error('KEYSMITH_METRICS_TOKEN must be at least 32 characters without spaces (for example `openssl rand -hex 32`).');
  }
  return raw;
}

function logLevelFromEnv(env: NodeJS.ProcessEnv): LogLevel {
  const raw = env.KEYSMITH_LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new Error(`KEYSMITH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
}

export interface ProcessSettings {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  config: Config;
  logLevel: LogLevel;
  /** Settings an earlier server read that this one ignores, when set: said at start-up, never silently. */
  retired: string[];
}

/** What each retired setting did, and why it is gone. */
export const RETIRED_SETTINGS: Record<string, string> = {
  KEYSMITH_SCRYPT_COST:
    'KEYSMITH_SCRYPT_COST has no effect: the server stores a salted HMAC-SHA-256 of the auth secret, which the ' +
    'extension derives with Argon2id (docs/server.md, "What the server knows"); remove it from the server\'s settings.',
};

export function loadSettings(env: NodeJS.ProcessEnv = process.env): ProcessSettings {
  const d = defaultConfig;
  return {
    port: intFromEnv(env, 'PORT', 8787, 0),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.KEYSMITH_DATA_DIR || './data',
    logLevel: logLevelFromEnv(env),
    retired: Object.keys(RETIRED_SETTINGS).filter((name) => env[name] !== undefined && env[name] !== ''),
    config: {
      bodyLimitBytes: intFromEnv(env, 'KEYSMITH_BODY_LIMIT_BYTES', d.bodyLimitBytes),
      tokenTtlSeconds: intFromEnv(env, 'KEYSMITH_TOKEN_TTL_SECONDS', d.tokenTtlSeconds),
      toolkitConcurrencyPerUser: intFromEnv(env, 'KEYSMITH_TOOLKIT_CONCURRENCY_PER_USER', d.toolkitConcurrencyPerUser),
      toolkit: switchFromEnv(env, 'KEYSMITH_TOOLKIT', d.toolkit),
      cpu: {
        slots: intFromEnv(env, 'KEYSMITH_CPU_SLOTS', d.cpu.slots),
        queue: intFromEnv(env, 'KEYSMITH_CPU_QUEUE', d.cpu.queue, 0),
      },
      registration: {
        mode: registrationFromEnv(env, d.registration.mode),
        windowSeconds: intFromEnv(env, 'KEYSMITH_REGISTRATION_WINDOW_SECONDS', d.registration.windowSeconds),
        perAddress: intFromEnv(env, 'KEYSMITH_REGISTRATION_PER_ADDRESS', d.registration.perAddress),
        perServer: intFromEnv(env, 'KEYSMITH_REGISTRATION_PER_SERVER', d.registration.perServer),
      },
      quota: {
        items: intFromEnv(env, 'KEYSMITH_QUOTA_ITEMS', d.quota.items),
        bytes: intFromEnv(env, 'KEYSMITH_QUOTA_BYTES', d.quota.bytes),
      },
      trustProxy: trustProxyFromEnv(env, d.trustProxy),
      rateLimit: {
        windowSeconds: intFromEnv(env, 'KEYSMITH_RATE_LIMIT_WINDOW_SECONDS', d.rateLimit.windowSeconds),
        perAddress: intFromEnv(env, 'KEYSMITH_RATE_LIMIT_PER_ADDRESS', d.rateLimit.perAddress),
        perToken: intFromEnv(env, 'KEYSMITH_RATE_LIMIT_PER_TOKEN', d.rateLimit.perToken),
      },
      login: {
        maxFailures: intFromEnv(env, 'KEYSMITH_LOGIN_MAX_FAILURES', d.login.maxFailures),
        maxFailuresPerAddress: intFromEnv(env, 'KEYSMITH_LOGIN_MAX_FAILURES_PER_ADDRESS', d.login.maxFailuresPerAddress),
        addressWindowSeconds: intFromEnv(env, 'KEYSMITH_LOGIN_ADDRESS_WINDOW_SECONDS', d.login.addressWindowSeconds),
        lockBaseSeconds: intFromEnv(env, 'KEYSMITH_LOGIN_LOCK_BASE_SECONDS', d.login.lockBaseSeconds),
        lockMaxSeconds: intFromEnv(env, 'KEYSMITH_LOGIN_LOCK_MAX_SECONDS', d.login.lockMaxSeconds),
      },
      tombstoneRetentionSeconds: intFromEnv(env, 'KEYSMITH_TOMBSTONE_RETENTION_SECONDS', d.tombstoneRetentionSeconds),
      syncMaxLimit: intFromEnv(env, 'KEYSMITH_SYNC_MAX_LIMIT', d.syncMaxLimit),
      batchMaxItems: intFromEnv(env, 'KEYSMITH_BATCH_MAX_ITEMS', d.batchMaxItems),
      metricsToken: metricsTokenFromEnv(env),
    },
  };
}
