import { defineConfig } from 'vitest/config';

/** Unit and integration tests that need no cluster (run by `npm test`). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/cluster/**', 'node_modules/**'],
    globalSetup: ['test/global-tmp.ts', 'test/global-build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
