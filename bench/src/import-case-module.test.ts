import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCaseModule } from './import-case-module.js';

const fixture = (path: string): string =>
  fileURLToPath(new URL(`../test/fixtures/${path}`, import.meta.url));

describe('importCaseModule', () => {
  it('returns the default-exported case when the module defines one', async () => {
    const benchCase = await importCaseModule(fixture('cases/other/delay-samples.ts'));
    expect(benchCase.id).toBe('other.delay.fixed');
    expect(benchCase.unit).toBe('ms');
  });

  it('throws naming the file when the module exports no case', async () => {
    await expect(importCaseModule(fixture('not-a-case/plain-module.ts'))).rejects.toThrow(
      /plain-module\.ts must default-export a case made with defineCase\(\)/,
    );
  });
});
