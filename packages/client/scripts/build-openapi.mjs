// Writes packages/client/openapi.json from the contract, then openapi.d.ts (the types
// openapi-typescript generates from that document). The generator is bundled here, in memory, so
// it never enters the client's runtime entries. Usage: pnpm --filter @carequeue/client openapi
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { format, resolveConfig } from 'prettier';
import { renderOpenApiTypes } from './openapi-types.mjs';

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
const target = join(packageDir, 'openapi.json');
const options = await resolveConfig(target);
const text = await format(JSON.stringify(buildOpenApiDocument()), { ...options, filepath: target });
writeFileSync(target, text);
console.log('wrote packages/client/openapi.json');
writeFileSync(join(packageDir, 'openapi.d.ts'), await renderOpenApiTypes(JSON.parse(text)));
console.log('wrote packages/client/openapi.d.ts');
