import { defineConfig } from 'vitest/config';

// Unit and integration tests run in Node. Browser tests (test/browser/*) drive Debian's Chromium
// through playwright-core from ordinary Node tests, so no separate browser runner is needed.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
