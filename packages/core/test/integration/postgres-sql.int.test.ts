import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgExecutor,
  DatabaseError,
  migrate,
  retryTransactionConflicts,
  TransactionConflictError,
  type PgSqlExecutor,
  type SqlExecutor,
} from '../../src/sql/index.js';
import { describeSqlLayer, MigrationFolder } from './sql-scenarios.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('createPgExecutor on Postgres 15', () => {
  const db = useTestDatabase();
  let sql: PgSqlExecutor | undefined;

  beforeAll(() => {
    sql = createPgExecutor({ connectionString: db.url, poolSize: 4 });
  });
  afterAll(async () => {
    await sql?.close();
  });

  function executor(): SqlExecutor {
    if (!sql) throw new Error('The executor is not ready yet.');
    return sql;
  }

  describeSqlLayer('Postgres', executor);

  it('finishes both sides of a deadlock when each side retries its transaction', async () => {
    await executor().exec(
      'CREATE TABLE deadlock_pair (id integer PRIMARY KEY, touched integer NOT NULL DEFAULT 0);' +
        'INSERT INTO deadlock_pair (id) VALUES (1), (2);',
    );
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothHoldTheirFirstRow = new Promise<void>((resolve) => {
      release = resolve;
    });
    let runs = 0;
    const outcomes: unknown[] = [];
    // Each side locks one row, waits until the other holds its own, then wants the other's row:
    // Postgres aborts one side with 40P01, and only a retry lets that side finish.
    const side = (first: number, second: number) => () => {
      runs += 1;
      return executor().transaction(async (tx) => {
        await tx.query('UPDATE deadlock_pair SET touched = touched + 1 WHERE id = $1', [first]);
        arrived += 1;
        if (arrived === 2) release();
        await bothHoldTheirFirstRow;
        await tx.query('UPDATE deadlock_pair SET touched = touched + 1 WHERE id = $1', [second]);
      });
    };
    const retried = (transaction: () => Promise<void>) =>
      retryTransactionConflicts(async () => {
        try {
          return await transaction();
        } catch (error) {
          outcomes.push(error);
          throw error;
        }
      });
    await Promise.all([retried(side(1, 2)), retried(side(2, 1))]);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toBeInstanceOf(TransactionConflictError);
    expect(runs).toBe(3);
    const { rows } = await executor().query<{ id: number; touched: number }>(
      'SELECT id, touched FROM deadlock_pair ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 1, touched: 2 },
      { id: 2, touched: 2 },
    ]);
  });

  it('applies each file once when two migrators start together', async () => {
    const folder = new MigrationFolder('concurrent', {
      '0001_runs.sql': 'CREATE TABLE concurrent_runs (version integer NOT NULL);',
      '0002_second.sql': 'INSERT INTO concurrent_runs VALUES (2);',
      '0003_third.sql': 'INSERT INTO concurrent_runs VALUES (3);',
    });
    const first = createPgExecutor({ connectionString: db.url, poolSize: 2 });
    const second = createPgExecutor({ connectionString: db.url, poolSize: 2 });
    try {
      const reports = await Promise.all([
        migrate(first, [folder.source]),
        migrate(second, [folder.source]),
      ]);
      expect(reports.flatMap((report) => report.applied.map((m) => m.name)).sort()).toEqual([
        '0001_runs.sql',
        '0002_second.sql',
        '0003_third.sql',
      ]);
      const { rows } = await executor().query<{ version: number }>(
        'SELECT version FROM concurrent_runs ORDER BY version',
      );
      expect(rows).toEqual([{ version: 2 }, { version: 3 }]);
    } finally {
      await Promise.all([first.close(), second.close()]);
      folder.remove();
    }
  });

  it('uses a pool it is given and leaves it open when closed', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const borrowed = createPgExecutor({ pool });
    await borrowed.close();
    const { rows } = await borrowed.query<{ one: number }>('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    await pool.end();
  });

  it('raises a transient DatabaseError when the server cannot be reached', async () => {
    const unreachable = createPgExecutor({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      poolConfig: { connectionTimeoutMillis: 2_000 },
    });
    try {
      const error = await unreachable.query('SELECT 1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).toMatchObject({ transient: true, sqlState: undefined });
      await expect(unreachable.transaction(() => Promise.resolve())).rejects.toBeInstanceOf(
        DatabaseError,
      );
    } finally {
      await unreachable.close();
    }
  });
});
