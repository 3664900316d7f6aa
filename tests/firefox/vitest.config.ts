import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// End-to-end tests in real Firefox (ESR, over WebDriver BiDi with puppeteer-core), against the
// built `.output/firefox-mv3`. Run: npm run build:firefox && npx vitest run --config tests/firefox/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/firefox/**/*.test.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false, // one Firefox at a time on two cores
  },
});
