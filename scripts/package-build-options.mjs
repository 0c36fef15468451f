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
    // tsup 8 hands its declaration build a `baseUrl`, which TypeScript 6 deprecates; our own
    // configurations set none, so the deprecation is silenced for that build alone.
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
  };
}
