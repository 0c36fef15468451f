import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRequestedCase } from './run-requested-case.js';

const fixture = (path: string): string =>
  fileURLToPath(new URL(`../test/fixtures/${path}`, import.meta.url));

const services = { postgres: 'postgres://unused', redis: 'redis://unused' };

describe('runRequestedCase', () => {
  it('runs the case of the named module in the requested mode', async () => {
    const file = fixture('cases/other/delay-samples.ts');
    const request = { file, id: 'other.delay.fixed', services };
    expect(await runRequestedCase({ ...request, smoke: true })).toEqual({
      id: 'other.delay.fixed',
      ours: [3],
      peer: null,
    });
    expect((await runRequestedCase({ ...request, smoke: false })).ours).toHaveLength(18);
  });

  it('throws without running anything when the module defines another case', async () => {
    const file = fixture('worker-cases/exits.ts');
    await expect(
      runRequestedCase({ file, id: 'worker.round.renamed', smoke: true, services }),
    ).rejects.toThrow(`${file} defines case worker.round.exits, not worker.round.renamed.`);
  });

  it('throws naming the file when the module exports no case', async () => {
    const file = fixture('not-a-case/plain-module.ts');
    await expect(
      runRequestedCase({ file, id: 'plain.object.only', smoke: true, services }),
    ).rejects.toThrow(/plain-module\.ts must default-export a case/);
  });
});
