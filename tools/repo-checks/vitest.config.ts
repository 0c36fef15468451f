import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'repo-checks',
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
