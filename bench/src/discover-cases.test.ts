import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverCases } from './discover-cases.js';

const fixtures = (name: string): string =>
  fileURLToPath(new URL(`../test/fixtures/${name}/`, import.meta.url));

describe('discoverCases', () => {
  it('imports every case module in nested folders sorted by id when given a cases folder', async () => {
    const found = await discoverCases(fixtures('cases'));
    expect(found.map(({ id }) => id)).toEqual([
      'fake.math.sum',
      'fake.promise.resolve',
      'other.delay.fixed',
    ]);
    expect(found.map(({ benchCase }) => benchCase.id)).toEqual(found.map(({ id }) => id));
  });

  it('gives the absolute path of the module defining each case', async () => {
    const found = await discoverCases(fixtures('cases'));
    expect(found.map(({ file }) => file)).toEqual([
      join(fixtures('cases'), 'fake', 'sum-latency.ts'),
      join(fixtures('cases'), 'fake', 'resolve-throughput.ts'),
      join(fixtures('cases'), 'other', 'delay-samples.ts'),
    ]);
  });

  it('throws naming the file when a module exports no case', async () => {
    await expect(discoverCases(fixtures('not-a-case'))).rejects.toThrow(
      /plain-module\.ts must default-export a case/,
    );
  });

  it('throws naming both files when two cases share an id', async () => {
    await expect(discoverCases(fixtures('duplicate-cases'))).rejects.toThrow(
      /dup\.same\.id is defined twice: .*first\.ts and .*second\.ts/,
    );
  });
});
