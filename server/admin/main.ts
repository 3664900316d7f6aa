/**
 * `npm run admin -- <command>`: the operator's tools, on the database the server uses (the same
 * DATABASE_URL or KEYSMITH_DATA_DIR). On PGlite, stop the server first: the data directory belongs
 * to one process at a time. Exit code 0 on success, 1 with a message on stderr otherwise.
 */
import { loadSettings } from '../config';
import { openDatabase } from '../db/open';
import { NoSuchAccount } from './accounts';
import { runAdmin, USAGE, UsageError } from './commands';

async function main() {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === 'help' || args.includes('--help')) {
    console.log(USAGE);
    return;
  }
  const settings = loadSettings();
  const database = await openDatabase(
    settings.databaseUrl ? { databaseUrl: settings.databaseUrl, maxConnections: 1 } : { dataDir: settings.dataDir },
  );
  try {
    await runAdmin(database.db, args, (line) => console.log(line));
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (error instanceof NoSuchAccount) console.error(error.message);
  else console.error(`admin: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
