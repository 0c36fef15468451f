// Bundles an entry for the browser with esbuild and fails when anything in its import graph
// needs a Node built-in. Usage: node scripts/check-browser-bundle.mjs [entry ...]
// (default: the root entry of @carequeue/core).
import console from 'node:console';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = process.argv.slice(2);
if (entries.length === 0) entries.push(join(root, 'packages/core/src/index.ts'));

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** @type {import('esbuild').Plugin} */
const refuseNodeBuiltins = {
  name: 'refuse-node-builtins',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.split('/')[0] ?? args.path;
      if (!args.path.startsWith('node:') && !builtins.has(args.path) && !builtins.has(bare)) {
        return undefined;
      }
      return {
        errors: [
          {
            text: `Node built-in "${args.path}" is imported by ${relative(root, args.importer)}; move it behind a subpath export.`,
          },
        ],
      };
    });
  },
};

let failed = false;
for (const entry of entries) {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
      plugins: [refuseNodeBuiltins],
    });
    const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.length, 0);
    console.log(`browser bundle ok: ${relative(root, entry)} (${bytes} bytes)`);
  } catch (error) {
    failed = true;
    const messages = /** @type {{ errors?: { text: string }[] }} */ (error).errors ?? [];
    console.error(`browser bundle failed: ${relative(root, entry)}`);
    for (const message of messages) console.error(`  ${message.text}`);
    if (messages.length === 0) console.error(error);
  }
}
process.exitCode = failed ? 1 : 0;
