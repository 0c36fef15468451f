import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-fastify-server',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/main.ts'],
      thresholds: { lines: 90 },
    },
  },
});
