/**
 * Starts real Keysmith servers for tests: on in-memory or on-disk PGlite, and on a fresh
 * PostgreSQL database per server when TEST_DATABASE_URL is set (every suite runs once per backend).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Config, configWith, type DeepPartial } from '../../../server/config';
import { openDatabase } from '../../../server/db/open';
import type { Database } from '../../../server/db/types';
import { createServer, type KeysmithServer } from '../../../server/server';
import { Api } from './api';

export type Backend = 'pglite' | 'postgres';

export const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** Generous limits so tests are fast; individual tests tighten what they test. */
export const testConfig = (overrides: DeepPartial<Config> = {}): Config =>
  configWith({
    ...overrides,
    rateLimit: { perAddress: 100_000, perToken: 100_000, ...overrides.rateLimit },
    registration: { perAddress: 100_000, perServer: 100_000, ...overrides.registration },
    cpu: { queue: 10_000, ...overrides.cpu },
  });

/** A place for data that outlives one server: a PGlite directory or a PostgreSQL database. */
export interface Store {
  backend: Backend;
  open(options?: OpenOptions): Promise<Database>;
  destroy(): Promise<void>;
}

export interface OpenOptions {
  /** Sees every SQL statement the server runs on this database. */
  logQuery?: (query: string, params: unknown[]) => void;
}

/** The migrated empty database global-setup.ts saved, if any (absent when a file runs alone without it). */
function pgliteTemplate(): Blob | undefined {
  const file = process.env.KEYSMITH_TEST_PGLITE_TEMPLATE;
  return file ? new Blob([readFileSync(file)]) : undefined;
}

export async function createStore(backend: Backend, options: { persistent?: boolean } = {}): Promise<Store> {
  if (backend === 'pglite') {
    const dir = options.persistent ? mkdtempSync(join(tmpdir(), 'keysmith-test-')) : null;
    return {
      backend,
      // A data directory must be initialised the normal way; in memory can start from the template.
      open: (o = {}) => openDatabase(dir ? { dataDir: dir, ...o } : { dataDir: null, template: pgliteTemplate(), ...o }),
      destroy: async () => {
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `keysmith_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    backend,
    open: (o = {}) => openDatabase({ databaseUrl: url.toString(), maxConnections: 10, ...o }),
    destroy: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface Running {
  url: string;
  api: Api;
  server: KeysmithServer;
  database: Database;
  config: Config;
  /** Stops the HTTP server and closes the database (the store stays). */
  stop(): Promise<void>;
}

export async function startOn(store: Store, config: Config = testConfig(), options: OpenOptions = {}): Promise<Running> {
  const database = await store.open(options);
  const server = await createServer({ database, config });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    url,
    api: new Api(url),
    server,
    database,
    config,
    async stop() {
      await server.close();
      await database.close();
    },
  };
}

/** A server on its own fresh store; `stop` also destroys the store. */
export async function startServer(backend: Backend, config?: Config, options?: OpenOptions): Promise<Running> {
  const store = await createStore(backend);
  const running = await startOn(store, config, options);
  return {
    ...running,
    async stop() {
      await running.stop();
      await store.destroy();
    },
  };
}
