import { defineConfig } from 'tsup';
import { packageBuildOptions } from '../../scripts/package-build-options.mjs';

const options = packageBuildOptions(import.meta.dirname);

// The carequeue-audit command is built beside the subpath exports (package.json "bin").
export default defineConfig({
  ...options,
  entry: {
    ...(options.entry as Record<string, string>),
    'cli/carequeue-audit': 'src/cli/carequeue-audit.ts',
  },
});
