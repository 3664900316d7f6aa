import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The deployment of docs/deploy/ (nginx + two server processes on PostgreSQL). Needs
// TEST_DATABASE_URL and /usr/sbin/nginx; scripts/ci-postgres.sh runs it.
// Run: TEST_DATABASE_URL=postgres://… npx vitest run --config tests/deploy/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/deploy/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
