import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedVersions } from './package-versions.js';

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(value));
}

describe('installedVersions', () => {
  it('reads installed versions of dependencies and skips type packages when listing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carequeue-bench-versions-'));
    await writeJson(join(dir, 'package.json'), {
      dependencies: { opossum: '9.0.0' },
      devDependencies: { '@carequeue/core': 'workspace:^', '@types/pg': '8.23.1', odd: '1' },
    });
    await writeJson(join(dir, 'node_modules/opossum/package.json'), { version: '9.0.0' });
    await writeJson(join(dir, 'node_modules/@carequeue/core/package.json'), { version: '0.1.0' });
    await writeJson(join(dir, 'node_modules/odd/package.json'), {});
    expect(await installedVersions(dir)).toEqual({
      '@carequeue/core': '0.1.0',
      odd: 'unknown',
      opossum: '9.0.0',
    });
  });
});
