// Derives build and documentation entry points from a package's `exports`, so that the exports
// map is the single list of a package's public entry points.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The build entry behind one subpath export: its built file `./dist/sql/index.js` without the
 * `./dist/` folder and the extension.
 *
 * @example
 * ```js
 * const manifest = { name: '@carequeue/core', exports: { './sql': { default: './dist/sql/index.js' } } };
 * entryOfExport(manifest, './sql'); // 'sql/index'
 * ```
 *
 * @param {{ name: string; exports?: Record<string, unknown> }} manifest a parsed package.json
 * @param {string} subpath a key of its `exports`, such as `.` or `./sql`
 * @returns {string} the entry name, such as `index` or `sql/index`
 * @throws {Error} when the export does not point into `./dist`
 */
export function entryOfExport(manifest, subpath) {
  const target = manifest.exports?.[subpath];
  const built = typeof target === 'object' ? target?.default : target;
  const match = /^\.\/dist\/(.+)\.js$/.exec(built);
  if (!match)
    throw new Error(`${manifest.name}: export ${subpath} must point into ./dist (got ${built})`);
  return match[1];
}

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
    const entry = entryOfExport(manifest, subpath);
    entries[entry] = `src/${entry}.ts`;
  }
  return entries;
}
