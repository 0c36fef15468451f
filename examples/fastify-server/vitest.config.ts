import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-fastify-server',
    environment: 'node',
    // The pack-and-install helpers have no package of their own; they are tested here.
    dir: '../..',
    include: ['examples/fastify-server/src/**/*.test.ts', 'scripts/pack-and-install.test.mjs'],
    restoreMocks: true,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/main.ts'],
      thresholds: { lines: 90 },
    },
  },
});
