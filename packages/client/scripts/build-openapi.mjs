// Writes packages/client/openapi.json from the contract. The generator is bundled here, in
// memory, so it never enters the client's runtime entries. Usage: pnpm --filter @carequeue/client openapi
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  stdin: {
    contents: "export { buildOpenApiDocument } from './src/openapi/openapi-document.ts';",
    resolveDir: packageDir,
    loader: 'ts',
  },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  logLevel: 'silent',
});
const source = result.outputFiles[0]?.text ?? '';
const { buildOpenApiDocument } = await import(
  `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`
);
writeFileSync(
  join(packageDir, 'openapi.json'),
  `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`,
);
console.log('wrote packages/client/openapi.json');
