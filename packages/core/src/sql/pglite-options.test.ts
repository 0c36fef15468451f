import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { openPglite } from './pglite-executor.js';

describe('openPglite options', () => {
  it('openPglite refuses options that are not a plain object, a misspelt dataDir or a dataDir with a NUL character before starting a database (it opened an in-memory one, ignoring them)', async () => {
    for (const [options, path] of [
      ['+1Zq81LmXv03Pa', 'options'],
      [new Date(-8.64e15), 'options'],
      [{ datadir: './.data/pglite' }, 'options'],
      [{ dataDir: 42 }, 'options.dataDir'],
      [{ dataDir: './data\u0000Zq81LmXv03Pa' }, 'options.dataDir'],
    ] as const) {
      const error = await openPglite(options as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([path]);
      expect(JSON.stringify((error as ValidationError).toProblem())).not.toContain('Zq81LmXv03Pa');
    }
  });
});
