import { defineConfig } from 'vitest/config';

// Runs every workspace project together (watch mode, `pnpm test:unit`). `pnpm test` runs each
// package on its own instead, so that each package's coverage threshold is enforced.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tools/*', 'examples/*', 'bench'],
  },
});
