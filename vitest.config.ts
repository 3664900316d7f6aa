import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Unit tests: lib/ in Node, and entrypoint logic against WXT's fakeBrowser.
// The server has its own config (tests/server/vitest.config.ts); e2e runs under Playwright.
export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
  },
});
