// `npm run bench`: the speed budgets of the issues, as tables (a benchmark, never a timed test).
//   vault      Node + fake-indexeddb: unlock beyond the KDF, listing, .env import, crypto vs Node
//   extension  real Chromium: popup open → list, search keystroke, unlock, import, popup JS size
//   in-page    real Chromium: popup Fill → value in field, right-click Encrypt and the shortcut → text replaced
//   sync       a new device's sign-in to 10,000 secrets and one edit reaching an open popup (Chromium), bytes per edit
//   live       the server as its own process holding 1,000 live-update WebSockets: RSS, one push's fan-out
//   server     PGlite (and PostgreSQL when DATABASE_URL is set): pull, delta, push, load test
// Pass names to run only some: `npm run bench -- extension`.
import { existsSync } from 'node:fs';
import { npx } from './run.mjs';

const all = {
  vault: () => npx(['tsx', 'bench/vault.ts']),
  extension: async () => {
    await npx(['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await npx(['tsx', 'bench/popup.ts']);
  },
  'in-page': async () => {
    await npx(['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await npx(['tsx', 'bench/in-page.ts']);
  },
  sync: async () => {
    await npx(['wxt', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await npx(['tsx', 'bench/sync.ts']);
  },
  live: () => npx(['tsx', 'bench/live.ts']),
  server: () => (existsSync('bench/server.ts') ? npx(['tsx', 'bench/server.ts']) : Promise.resolve()),
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
for (const name of chosen) {
  if (!all[name]) throw new Error(`Unknown bench "${name}"; choose from ${Object.keys(all).join(', ')}`);
  console.log(`\n## ${name}\n`);
  await all[name]();
}
