import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from './results-file.js';
import { readResults, writeResults } from './results-store.js';

const results: ResultsFile = {
  when: '2026-11-25T18:00:00.000Z',
  machine: { cpus: 2, node: 'v20.20.2', v8: '11.3.244.8-node.38', postgres: null, redis: null },
  versions: {},
  cases: [],
};

async function emptyDirectory(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'carequeue-bench-store-'));
}

describe('readResults', () => {
  it('returns null when there is no results file yet', async () => {
    expect(await readResults(join(await emptyDirectory(), 'missing'))).toBeNull();
  });

  it('throws when the file is not a results file', async () => {
    const directory = await emptyDirectory();
    await writeFile(join(directory, 'latest.json'), '{"cases": 3}');
    await expect(readResults(directory)).rejects.toThrow(/not a results file/);
  });

  it('rethrows read errors other than a missing file', async () => {
    const directory = await emptyDirectory();
    await writeFile(join(directory, 'blocker'), '');
    await expect(readResults(join(directory, 'blocker'))).rejects.toThrow(/ENOTDIR/);
  });
});

describe('writeResults', () => {
  it('writes json and markdown that read back when given a new folder', async () => {
    const directory = join(await emptyDirectory(), 'results');
    await writeResults(directory, results);
    expect(await readResults(directory)).toEqual(results);
    expect(await readFile(join(directory, 'latest.md'), 'utf8')).toContain('# CareQueue');
    expect((await readdir(directory)).sort()).toEqual(['latest.json', 'latest.md']);
  });
});
