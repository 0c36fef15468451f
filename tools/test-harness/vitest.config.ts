import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'test-harness',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
    globalSetup: ['./src/global-setup.ts'],
    // The isolation demonstrations need two files running at once, even on a 2-core machine.
    fileParallelism: true,
    maxWorkers: 3,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/*.test-d.ts'],
      thresholds: { lines: 90 },
    },
  },
});
