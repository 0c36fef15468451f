import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');
const repoRoot = join(packageDir, '../..');
// A regression ceiling over today's size (about 109 KB). The aim is 35 KB, which needs the
// schemas on zod/mini (zod classic alone is about 26 KB gzipped and core's root imports all of it).
const BUDGET_BYTES = 112 * 1024;

describe('the browser bundle of the client and the contract', () => {
  it('needs no Node built-in (scripts/check-browser-bundle.mjs)', () => {
    const output = execFileSync(
      process.execPath,
      [
        join(repoRoot, 'scripts/check-browser-bundle.mjs'),
        join(packageDir, 'src/index.ts'),
        join(packageDir, 'src/contract/index.ts'),
      ],
      { encoding: 'utf8' },
    );
    expect(output).toContain('browser bundle ok: packages/client/src/index.ts');
    expect(output).toContain('browser bundle ok: packages/client/src/contract/index.ts');
  });

  it(`is at most ${BUDGET_BYTES / 1024} KB minified and gzipped, zod included`, async () => {
    const result = await build({
      stdin: {
        contents:
          "export * from './src/index.ts';\nexport * as contract from './src/contract/index.ts';",
        resolveDir: packageDir,
        loader: 'ts',
      },
      bundle: true,
      minify: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.info(`client + contract: ${code.length} bytes minified, ${gzipped} bytes gzipped`);
    expect(code.length).toBeGreaterThan(10_000);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
