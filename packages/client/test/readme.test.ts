import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { careQueueHandlers, queueStream } from '../src/msw/handlers.js';

const packageDir = join(import.meta.dirname, '..');
const blocks = [
  ...readFileSync(join(packageDir, 'README.md'), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g),
].map((match) => match[1] ?? '');
const outDir = join(packageDir, 'node_modules/.cache/readme-blocks');

/** Bundles a README block against this package's sources and runs it. */
async function runBlock(code: string, index: number): Promise<void> {
  const result = await build({
    stdin: { contents: code, resolveDir: packageDir, loader: 'ts' },
    alias: {
      '@carequeue/client/msw': join(packageDir, 'src/msw/index.ts'),
      '@carequeue/client': join(packageDir, 'src/index.ts'),
    },
    external: ['msw', 'msw/*'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `block-${index}-${Date.now()}.mjs`);
  writeFileSync(file, result.outputFiles[0]?.text ?? '');
  await import(pathToFileURL(file).href);
}

const baseUrl = 'https://clinic.example';
const server = setupServer(...careQueueHandlers({ baseUrl }), queueStream([], { baseUrl }));

describe('README quick starts', () => {
  let listening = false;
  const stopServer = () => {
    if (listening) server.close();
    listening = false;
  };
  beforeAll(() => {
    server.listen({ onUnhandledFrame: 'error' });
    listening = true;
  });
  afterAll(stopServer);

  it('has the browser, Node and msw quick starts', () => {
    expect(blocks).toHaveLength(3);
  });

  it('runs the browser quick start as written', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    await runBlock(blocks[0] ?? '', 0);
    expect(info).toHaveBeenCalledWith('Ticket A012: position 3');
  });

  it('runs the Node quick start as written', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => undefined);
    await runBlock(blocks[1] ?? '', 1);
    expect(info.mock.calls.map((call) => String(call[0]))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^booked /), 'Northside Family Clinic']),
    );
  });

  it('runs the msw quick start as written, once the suite’s own server is closed', async () => {
    stopServer();
    await expect(runBlock(blocks[2] ?? '', 2)).resolves.toBeUndefined();
  });
});
