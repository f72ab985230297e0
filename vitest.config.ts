import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests share one PostgreSQL server and one port for the HTTP server under test.
    fileParallelism: true,
    globalSetup: ['test/support/global-setup.ts'],
  },
});
