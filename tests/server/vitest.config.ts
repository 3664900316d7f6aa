import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Server tests: real HTTP on 127.0.0.1 against real PGlite (and PostgreSQL when
// TEST_DATABASE_URL is set). Run: npx vitest run --config tests/server/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/server/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/server/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: two files at a time. The timing-based tests (expiry, lockouts) leave ≥ 100 ms slack.
    maxWorkers: 2,
  },
});
