// `npm test`: every check, in the order a failure is cheapest to find. Stops at the first failure.
// Ends with one line "N passed, N failed" summing the unit, server and end-to-end test runners.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath, firefoxPath } from './chromium.mjs';
import { npx, run } from './run.mjs';

const reports = '.test-reports';
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports);

const vitest = (name, extra = []) => [
  'vitest',
  'run',
  ...extra,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(reports, `${name}.json`)}`,
];

const steps = [
  // Formatting and lint rules (biome.jsonc); `npm run format` fixes what it can.
  ['Format and lint (Biome)', () => npx(['biome', 'ci', '.'])],
  ['Typecheck', () => npx(['tsc', '--noEmit'])],
  ['Unit tests', () => npx(vitest('unit'))],
  [
    'Server tests (PGlite)',
    () =>
      existsSync('tests/server/vitest.config.ts')
        ? npx(vitest('server', ['--config', 'tests/server/vitest.config.ts']))
        : Promise.resolve(),
  ],
  // `npm run zip` builds both browsers (.output/chrome-mv3, .output/firefox-mv3) and packs the store zips.
  ['Builds and store packages', () => run('npm', ['run', '--silent', 'zip'])],
  ['Firefox lint (web-ext)', () => run('npm', ['run', '--silent', 'lint:firefox'])],
  [
    'End-to-end tests in Chromium',
    () => {
      chromiumPath(); // fails early with what to install
      return npx(['playwright', 'test', '--reporter=list,json'], {
        env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'e2e.json') },
      });
    },
  ],
  [
    'End-to-end tests in Firefox',
    () => {
      firefoxPath(); // fails early with what to install
      return npx(vitest('firefox', ['--config', 'tests/firefox/vitest.config.ts']));
    },
  ],
];

let failure;
for (const [name, step] of steps) {
  const started = Date.now();
  console.log(`\n=== ${name}`);
  try {
    await step();
    console.log(`=== ${name}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failure = `${name} failed: ${error.message}`;
    break;
  }
}

const counts = { passed: 0, failed: 0, skipped: 0 };
for (const name of ['unit', 'server', 'e2e', 'firefox']) {
  const file = join(reports, `${name}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.stats?.expected !== undefined) {
    counts.passed += report.stats.expected;
    counts.failed += report.stats.unexpected;
    counts.skipped += report.stats.skipped;
  } else {
    counts.passed += report.numPassedTests;
    counts.failed += report.numFailedTests;
    counts.skipped += report.numPendingTests + report.numTodoTests;
  }
}
if (failure) console.error(`\n${failure}`);
console.log(`\n${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
process.exit(failure || counts.failed ? 1 : 0);
