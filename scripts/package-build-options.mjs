// The one tsup configuration every CareQueue package and tool builds with: ESM for Node 22.12+,
// declarations and source maps, one entry per subpath export.
import { entriesFromExports } from './package-entries.mjs';

/**
 * tsup options for the package in `packageDir`.
 *
 * @param {string} packageDir absolute path of the package folder
 * @returns {import('tsup').Options}
 */
export function packageBuildOptions(packageDir) {
  return {
    entry: entriesFromExports(packageDir),
    format: ['esm'],
    target: 'node22',
    dts: true,
    sourcemap: true,
    clean: true,
  };
}
