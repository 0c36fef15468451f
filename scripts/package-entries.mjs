// Derives build and documentation entry points from a package's `exports`, so that the exports
// map is the single list of a package's public entry points.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Maps each export's built file (`./dist/sql/index.js`) to its source (`src/sql/index.ts`).
 *
 * @param {string} packageDir absolute path of the package folder
 * @returns {Record<string, string>} tsup entries: output name (without extension) to source file
 */
export function entriesFromExports(packageDir) {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  /** @type {Record<string, string>} */
  const entries = {};
  for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
    if (subpath === './package.json' || typeof target !== 'object') continue;
    const built = target.default;
    const match = /^\.\/dist\/(.+)\.js$/.exec(built);
    if (!match)
      throw new Error(`${manifest.name}: export ${subpath} must point into ./dist (got ${built})`);
    entries[match[1]] = `src/${match[1]}.ts`;
  }
  return entries;
}
