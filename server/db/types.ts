import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema';

/** Either driver's database (PGlite or postgres-js): routes only use what both share. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A database handle plus how to close it (PGlite must be closed or Node stays alive). */
export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Most connections this handle opens (1 for embedded PGlite). */
  poolSize: number;
  /**
   * PostgreSQL `LISTEN`: `onPayload` gets every `NOTIFY` on `channel`, from this process or any other
   * on the same database (PGlite: this process only). Resolves once listening; the result stops it.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
