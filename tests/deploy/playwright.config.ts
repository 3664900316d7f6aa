import { defineConfig } from '@playwright/test';

// The extension syncing through the nginx site of docs/deploy/ to two server processes on
// PostgreSQL. Needs TEST_DATABASE_URL, /usr/sbin/nginx and the built extension (npm run build);
// scripts/ci-postgres.sh runs it: npx playwright test --config tests/deploy/playwright.config.ts
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
});
