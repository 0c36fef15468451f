import { defineConfig } from 'tsup';
import { packageBuildOptions } from '../../scripts/package-build-options.mjs';

export default defineConfig(packageBuildOptions(import.meta.dirname));
