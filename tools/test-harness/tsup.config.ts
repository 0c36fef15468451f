import { defineConfig } from 'tsup';
import { entriesFromExports } from '../../scripts/package-entries.mjs';

export default defineConfig({
  entry: entriesFromExports(import.meta.dirname),
  format: ['esm'],
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
});
