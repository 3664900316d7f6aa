/**
 * Run as its own process by pglite-memory.test.ts (V8's flags and its allocation peak are the
 * process's): opens PGlite as the server does, runs enough statements for V8 to find hot
 * WebAssembly functions, and prints the settings PostgreSQL runs with and V8's peak of compiler
 * memory as one JSON line.
 */
import { getHeapStatistics } from 'node:v8';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../../server/db/open';

const database = await openDatabase({ dataDir: null });
for (let i = 0; i < 3000; i++) await database.db.execute(sql`select count(*) from pg_class where relname > ${`r${i}`}`);
const setting = async (name: string) =>
  (
    (await database.db.execute(sql`select setting, unit from pg_settings where name = ${name}`)) as unknown as {
      rows: { setting: string; unit: string | null }[];
    }
  ).rows[0];
console.log(
  JSON.stringify({
    sharedBuffers: await setting('shared_buffers'),
    maxConnections: await setting('max_connections'),
    peakCompilerMiB: getHeapStatistics().peak_malloced_memory / 1024 / 1024,
  }),
);
await database.close();
