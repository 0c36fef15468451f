import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPgExecutor,
  DatabaseError,
  migrate,
  retryTransactionConflicts,
  TransactionConflictError,
  UniqueViolationError,
  type PgPoolLike,
  type PgSqlExecutor,
  type SqlExecutor,
} from '../../src/sql/index.js';
// The harness is built on core's SQL layer, so core cannot list it as a dependency without a
// cycle between the two workspace packages: core's tests import the built harness by path.
import {
  requirePostgres,
  useTestDatabase,
  waitUntil,
} from '../../../../tools/test-harness/dist/index.js';
import { describeSqlClock } from './sql-clock-scenarios.js';
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
  describeSqlClock('Postgres', executor);

  it('survives the server ending its idle connections and answers the next query (an idle connection ended by the server crashed the process)', async () => {
    const own = createPgExecutor({ connectionString: db.url, poolSize: 2 });
    try {
      const { rows } = await own.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]?.pid;
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await waitUntil(async () => {
          const alive = await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
          return alive.rowCount === 0;
        });
      } finally {
        await admin.end();
      }
      // A query may still reach the ended connection before its socket reports the end; the
      // pool answers on a new connection from then on.
      let answer: unknown;
      await waitUntil(async () => {
        answer = await own.query('SELECT 1 AS one').then(
          (result) => result.rows,
          () => undefined,
        );
        return answer !== undefined;
      });
      expect(answer).toEqual([{ one: 1 }]);
    } finally {
      await own.close();
    }
  });

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

  describe('statements queued before commit on pg', () => {
    const QUEUED = 'INSERT INTO pipeline_log (n) VALUES ($1)';

    beforeAll(async () => {
      await executor().exec('CREATE TABLE pipeline_log (n integer PRIMARY KEY)');
    });

    /** An executor on a one-connection pool, counting the server's ReadyForQuery messages. */
    function singleConnection(options: { preparedStatements?: boolean } = {}) {
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      const roundTrips = { count: 0 };
      pool.on('connect', (client) => {
        (client as unknown as { connection: pg.Connection }).connection.on('readyForQuery', () => {
          roundTrips.count += 1;
        });
      });
      const sql = createPgExecutor({ pool, ...options });
      return { pool, sql, roundTrips };
    }

    async function preparedOnConnection(sql: SqlExecutor): Promise<string[]> {
      const { rows } = await sql.query<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'cq\\_%' ORDER BY statement",
      );
      return rows.map((row) => row.statement);
    }

    it('sends the queued statements with COMMIT in one round trip', async () => {
      const { pool, sql, roundTrips } = singleConnection();
      try {
        await sql.query('SELECT 1');
        const before = roundTrips.count;
        await sql.transaction(async (tx) => {
          await tx.query('SELECT 1');
          await tx.queryBeforeCommit(QUEUED, [101], { prepare: true });
          await tx.queryBeforeCommit(QUEUED, [102]);
        });
        // BEGIN, the SELECT, then both queued statements and COMMIT together.
        expect(roundTrips.count - before).toBe(3);
        const { rows } = await sql.query<{ n: number }>(
          'SELECT n FROM pipeline_log WHERE n IN (101, 102) ORDER BY n',
        );
        expect(rows).toEqual([{ n: 101 }, { n: 102 }]);
      } finally {
        await pool.end();
      }
    });

    it('parses a prepared statement once per connection, and never unless prepared statements are on', async () => {
      const prepared = singleConnection({ preparedStatements: true });
      const unprepared = singleConnection();
      try {
        for (const n of [111, 112, 113]) {
          await prepared.sql.transaction(async (tx) => {
            await tx.queryBeforeCommit(QUEUED, [n], { prepare: true });
          });
        }
        expect(await preparedOnConnection(prepared.sql)).toEqual(['COMMIT', QUEUED]);
        await unprepared.sql.transaction(async (tx) => {
          await tx.queryBeforeCommit(QUEUED, [114], { prepare: true });
        });
        expect(await preparedOnConnection(unprepared.sql)).toEqual([]);
      } finally {
        await Promise.all([prepared.pool.end(), unprepared.pool.end()]);
      }
    });

    it('knows which statements a failed commit parsed, so the next commit neither re-parses nor skips one', async () => {
      const { pool, sql } = singleConnection({ preparedStatements: true });
      const other = 'INSERT INTO pipeline_log (n) SELECT $1::int + 1000';
      try {
        await sql.query('INSERT INTO pipeline_log (n) VALUES (121), (1122)');
        // The first statement fails after its Parse: its name now exists on the server.
        await expect(
          sql.transaction(async (tx) => {
            await tx.queryBeforeCommit(QUEUED, [121], { prepare: true });
            await tx.queryBeforeCommit(other, [122], { prepare: true });
          }),
        ).rejects.toBeInstanceOf(UniqueViolationError);
        // `other` was never parsed: the server skipped everything after the failure.
        expect(await preparedOnConnection(sql)).toEqual([QUEUED]);
        await sql.transaction(async (tx) => {
          await tx.queryBeforeCommit(QUEUED, [123], { prepare: true });
          await tx.queryBeforeCommit(other, [124], { prepare: true });
        });
        const { rows } = await sql.query<{ n: number }>(
          'SELECT n FROM pipeline_log WHERE n IN (123, 1124) ORDER BY n',
        );
        expect(rows).toEqual([{ n: 123 }, { n: 1124 }]);
      } finally {
        await pool.end();
      }
    });

    it('fails the commit with nothing sent when a parameter cannot be converted', async () => {
      const { pool, sql, roundTrips } = singleConnection();
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      try {
        await sql.query('SELECT 1');
        const before = roundTrips.count;
        const error = await sql
          .transaction(async (tx) => {
            await tx.query('INSERT INTO pipeline_log (n) VALUES (131)');
            await tx.queryBeforeCommit('SELECT $1::jsonb', [circular]);
          })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DatabaseError);
        // BEGIN, the INSERT and the ROLLBACK; the commit never reached the server.
        expect(roundTrips.count - before).toBe(3);
        const { rows } = await sql.query('SELECT n FROM pipeline_log WHERE n = 131');
        expect(rows).toEqual([]);
      } finally {
        await pool.end();
      }
    });

    it('runs queued statements one by one on a client without a wire connection', async () => {
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      const plainClients: PgPoolLike = {
        query: (text, params) => pool.query(text, params),
        end: () => pool.end(),
        async connect() {
          const client = await pool.connect();
          return {
            query: (text: string, params?: unknown[]) => client.query(text, params),
            release: (destroy?: boolean | Error) => client.release(destroy),
          };
        },
      };
      const sql = createPgExecutor({ pool: plainClients });
      try {
        await sql.transaction(async (tx) => {
          await tx.queryBeforeCommit(QUEUED, [141], { prepare: true });
        });
        await expect(
          sql.transaction(async (tx) => {
            await tx.query('INSERT INTO pipeline_log (n) VALUES (142)');
            await tx.queryBeforeCommit(QUEUED, [141], { prepare: true });
          }),
        ).rejects.toBeInstanceOf(UniqueViolationError);
        const { rows } = await sql.query<{ n: number }>(
          'SELECT n FROM pipeline_log WHERE n IN (141, 142) ORDER BY n',
        );
        expect(rows).toEqual([{ n: 141 }]);
      } finally {
        await pool.end();
      }
    });
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
