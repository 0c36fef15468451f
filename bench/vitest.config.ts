import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'bench',
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    restoreMocks: true,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Case modules are exercised by the smoke run (`bench --smoke`), not by unit tests.
      exclude: ['src/**/*.test.ts', 'src/cases/**'],
      thresholds: { lines: 90 },
    },
  },
});
