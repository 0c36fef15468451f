import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'api-fuzz',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // Thousands of generated calls per file, on a shared 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 120_000,
    globalSetup: ['@carequeue/test-harness/global-setup'],
  },
});
