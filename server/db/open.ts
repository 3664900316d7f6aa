/**
 * Opens the database the settings ask for and applies the committed migrations:
 * PostgreSQL when a URL is given, otherwise embedded PGlite in a data directory
 * (or in memory, for tests).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';
import type { Database, Db } from './types';

/** How the server's connections name themselves to PostgreSQL (pg_stat_activity, metrics). */
export const APPLICATION_NAME = 'keysmith';

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseOptions = (
  | { databaseUrl: string; maxConnections?: number }
  /**
   * `dataDir: null` keeps PGlite in memory; `template` (a `dumpDataDir()` tarball) skips initdb,
   * which tests use to start a fresh database in well under a second.
   */
  | { dataDir: string | null; template?: Blob }
) & {
  /** Called with every statement the server runs (tests count and inspect them). */
  logQuery?: (query: string, params: unknown[]) => void;
};

/**
 * PostgreSQL's settings are sized for a database server; in PGlite its shared memory is memory of
 * this very process, and PGlite writes all of it when it starts, so each MiB here is a MiB resident
 * (measured in PGlite's WebAssembly memory: 29 MiB touched with 16 MB of shared_buffers, 15 MiB with
 * 2 MB, 11 MiB with 5 connections as well). A buffer PostgreSQL misses is read from the operating
 * system's page cache, so 2 MB (256 pages) made no difference the server bench could see (first
 * pull of 10,000 items, push, 100 clients polling). PGlite runs one backend, and max_connections
 * only sizes per-connection arrays and the lock table (64 locks per connection), which 5 still
 * leaves at over 1,000 relation locks. Figures: docs/server.md, "Live updates".
 */
const PGLITE_CONF = ['shared_buffers=2MB', 'max_connections=5'];

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const logger = options.logQuery ? { logQuery: options.logQuery } : undefined;
  if ('databaseUrl' in options) {
    const poolSize = options.maxConnections ?? 10;
    const client = postgres(options.databaseUrl, {
      max: poolSize,
      onnotice: () => {},
      connection: { application_name: APPLICATION_NAME },
    });
    const db = drizzlePostgres({ client, schema, logger });
    try {
      await migratePostgres(db, { migrationsFolder });
    } catch (error) {
      await client.end();
      throw error;
    }
    return {
      db: db as unknown as Db,
      kind: 'postgres',
      poolSize,
      // postgres-js keeps one extra connection for LISTEN and re-listens after it reconnects.
      listen: async (channel, onPayload) => {
        const { unlisten } = await client.listen(channel, onPayload);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  // Loaded only for PGlite: on PostgreSQL the module alone would cost the process ~40 MiB.
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  const { migrate: migratePglite } = await import('drizzle-orm/pglite/migrator');
  const settings = {
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.template ? { loadDataDir: options.template } : {}),
    postgresqlconf: PGLITE_CONF,
  };
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = new PGlite(settings);
  const db = drizzlePglite({ client, schema, logger });
  try {
    await migratePglite(db, { migrationsFolder });
  } catch (error) {
    await client.close();
    throw error;
  }
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    poolSize: 1,
    listen: async (channel, onPayload) => {
      const stop = await client.listen(channel, onPayload);
      return () => stop();
    },
    close: () => client.close(),
  };
}
