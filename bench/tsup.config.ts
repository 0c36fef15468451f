import { defineConfig } from 'tsup';

// Each source file is compiled on its own (no bundling) so that dist/cases/ mirrors src/cases/
// and the runner can discover case modules at run time, and so that peers load from
// node_modules exactly as their users load them.
export default defineConfig({
  entry: ['src/**/*.ts', '!src/**/*.test.ts'],
  bundle: false,
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  sourcemap: true,
  clean: true,
});
