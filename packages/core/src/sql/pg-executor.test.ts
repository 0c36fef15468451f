import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import { createPgExecutor } from './pg-executor.js';

const secret = 'postgres://app:Zq81LmXv03Pa@db.internal/carequeue';

describe('createPgExecutor options', () => {
  it('createPgExecutor refuses a string, a pool without connect or a bad pool size with a ValidationError that never echoes the connection string (raw TypeError echoing it)', () => {
    for (const [options, path] of [
      [secret, 'options'],
      [null, 'options'],
      [{ pool: { query: () => undefined } }, 'options.pool'],
      [{ connectionString: 42 }, 'options.connectionString'],
      [{ connectionString: secret, poolSize: 0 }, 'options.poolSize'],
      [{ connectionString: secret, poolConfig: secret }, 'options.poolConfig'],
      [{ connectionString: secret, preparedStatements: 'yes' }, 'options.preparedStatements'],
    ] as const) {
      let caught: unknown;
      try {
        createPgExecutor(options as never);
      } catch (error: unknown) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).issues.map((issue) => issue.path)).toEqual([path]);
      expect(JSON.stringify((caught as ValidationError).toProblem())).not.toContain('Zq81LmXv03Pa');
    }
  });
});
