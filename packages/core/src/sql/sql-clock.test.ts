import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import type { SqlExecutor } from './executor.js';
import { freezeSqlClock, releaseSqlClock } from './sql-clock.js';

function recordingExecutor(): { executor: SqlExecutor; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const executor: SqlExecutor = {
    query: (text, params) => {
      calls.push([text, [...(params ?? [])]]);
      return Promise.resolve({ rows: [], rowCount: 1 } as never);
    },
    exec: (script) => {
      calls.push([script, []]);
      return Promise.resolve();
    },
    transaction: (fn) => fn(executor),
    queryBeforeCommit: (text, params) => {
      calls.push([text, [...(params ?? [])]]);
      return Promise.resolve();
    },
    queryCount: () => calls.length,
  };
  return { executor, calls };
}

describe('freezeSqlClock', () => {
  it('writes the instant as a Date whether given epoch milliseconds or a Date', async () => {
    const { executor, calls } = recordingExecutor();
    const instant = Date.parse('2026-03-02T08:00:00.000Z');
    await freezeSqlClock(executor, instant);
    await freezeSqlClock(executor, new Date(instant));
    expect(calls.map(([, params]) => params)).toEqual([[new Date(instant)], [new Date(instant)]]);
  });

  it('throws ValidationError naming the argument before any query when the instant is invalid', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, new Date('not a date'), '2026']) {
      const { executor, calls } = recordingExecutor();
      const error: unknown = await freezeSqlClock(executor, bad as number).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['instant']);
      expect(calls).toEqual([]);
    }
  });
});

describe('releaseSqlClock', () => {
  it('removes the frozen instant', async () => {
    const { executor, calls } = recordingExecutor();
    await releaseSqlClock(executor);
    expect(calls).toEqual([['DELETE FROM carequeue.sql_clock', []]]);
  });
});
