/**
 * `npx tsx server/main.ts`: opens the database (PGlite in KEYSMITH_DATA_DIR, or PostgreSQL at
 * DATABASE_URL), applies migrations, listens on HOST:PORT, and on SIGTERM/SIGINT stops accepting,
 * finishes in-flight requests, closes the database and exits 0. Everything it says goes to stdout
 * as JSON lines (server/log.ts).
 */
import { loadSettings, RETIRED_SETTINGS } from './config';
import { openDatabase } from './db/open';
import { createLogger, type Logger } from './log';
import { isLoopbackOrPrivate } from './http/proxy-warning';
import { createServer } from './server';

async function main(log: Logger) {
  const settings = loadSettings();
  log.level = settings.logLevel;
  const database = await openDatabase(settings.databaseUrl ? { databaseUrl: settings.databaseUrl } : { dataDir: settings.dataDir });
  const server = await createServer({ database, config: settings.config, log });
  const { url } = await server.listen(settings.port, settings.host);
  const where = settings.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${settings.dataDir}`;
  log.info({ url, database: database.kind }, `Keysmith sync server listening on ${url} — database: ${where}`);
  for (const name of settings.retired) log.warn({ warning: 'retired_setting', setting: name }, RETIRED_SETTINGS[name]!);
  if (settings.config.trustProxy === 0 && isLoopbackOrPrivate(settings.host)) {
    // The usual shape behind a proxy on this host or network; the server also warns (and /healthz
    // says so) as soon as a forwarded request proves it (http/proxy-warning.ts).
    log.warn(
      { warning: 'trust_proxy_unset' },
      `TRUST_PROXY is unset and the server listens on ${settings.host}: if a reverse proxy forwards to it, set ` +
        'TRUST_PROXY=1 (one proxy), or every client counts as the proxy for rate limits and login lockouts.',
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: finishing in-flight requests…`);
    try {
      await server.close();
      await database.close();
      log.flush();
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, 'Shutdown failed');
      log.flush();
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const log = createLogger();
main(log).catch((error) => {
  log.fatal(`Keysmith server failed to start: ${error instanceof Error ? error.message : String(error)}`);
  log.flush();
  process.exit(1);
});
