/**
 * `npx tsx server/main.ts`: opens the database (PGlite in KEYSMITH_DATA_DIR, or PostgreSQL at
 * DATABASE_URL), applies migrations, listens on HOST:PORT, and on SIGTERM/SIGINT stops accepting,
 * finishes in-flight requests, closes the database and exits 0.
 */
import { loadSettings } from './config';
import { openDatabase } from './db/open';
import { createServer } from './server';

async function main() {
  const settings = loadSettings();
  const database = await openDatabase(
    settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { dataDir: settings.dataDir },
  );
  const server = await createServer({ database, config: settings.config });
  const { url } = await server.listen(settings.port, settings.host);
  const where = settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${settings.dataDir}`;
  console.log(`Keysmith sync server listening on ${url} — database: ${where}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing in-flight requests…`);
    try {
      await server.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      console.error('Shutdown failed:', error);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error('Keysmith server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
