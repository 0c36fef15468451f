import type { BeforeCommitOptions, QueryResult, SqlExecutor, SqlRow } from './executor.js';
import { toSqlError } from './errors.js';

/** The operations a driver connection (pool, client, PGlite, PGlite transaction) provides. */
export interface DriverConnection {
  query(text: string, params: readonly unknown[]): Promise<QueryResult<SqlRow>>;
  exec(script: string): Promise<void>;
}

/** Shared state of an executor and the transaction executors it hands out. */
export interface ExecutorCounter {
  count: number;
  savepoints: number;
}

/** A statement queued by `queryBeforeCommit`, waiting for its transaction's commit. */
export interface PendingStatement {
  readonly text: string;
  readonly params: readonly unknown[];
  readonly options: BeforeCommitOptions;
}

/** The error a failed pending statement rejects the commit with: mapped, then the caller's own. */
export function pendingStatementError(statement: PendingStatement, error: unknown): Error {
  const mapped = toSqlError(error);
  return statement.options.mapError ? statement.options.mapError(mapped) : mapped;
}

/** Runs the pending statements one after another (drivers that cannot send them with COMMIT). */
export async function runPendingStatements(
  connection: DriverConnection,
  pending: readonly PendingStatement[],
): Promise<void> {
  for (const statement of pending) {
    try {
      await connection.query(statement.text, statement.params);
    } catch (error: unknown) {
      throw pendingStatementError(statement, error);
    }
  }
}

/**
 * Builds the {@link SqlExecutor} methods of one connection, mapping errors and counting queries;
 * `transaction` is either the driver's (top level) or a savepoint (inside a transaction).
 * Inside a transaction, `pending` collects what `queryBeforeCommit` queues for the commit.
 */
export function connectionExecutor(
  connection: DriverConnection,
  counter: ExecutorCounter,
  transaction: SqlExecutor['transaction'] | 'savepoint',
  pending?: PendingStatement[],
): SqlExecutor {
  async function control(statement: string): Promise<void> {
    try {
      await connection.exec(statement);
    } catch (error: unknown) {
      throw toSqlError(error);
    }
  }

  const executor: SqlExecutor = {
    async query<Row extends object = SqlRow>(
      text: string,
      params: readonly unknown[] = [],
    ): Promise<QueryResult<Row>> {
      counter.count += 1;
      try {
        return (await connection.query(text, params)) as QueryResult<Row>;
      } catch (error: unknown) {
        throw toSqlError(error);
      }
    },
    async exec(script) {
      counter.count += 1;
      try {
        await connection.exec(script);
      } catch (error: unknown) {
        throw toSqlError(error);
      }
    },
    transaction:
      transaction === 'savepoint'
        ? async <T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> => {
            counter.savepoints += 1;
            const name = `cq_savepoint_${counter.savepoints}`;
            const queuedBefore = pending?.length ?? 0;
            await control(`SAVEPOINT ${name}`);
            try {
              const result = await fn(executor);
              await control(`RELEASE SAVEPOINT ${name}`);
              return result;
            } catch (error: unknown) {
              if (pending) pending.length = queuedBefore;
              await control(`ROLLBACK TO SAVEPOINT ${name}`);
              throw error;
            }
          }
        : transaction,
    async queryBeforeCommit(text, params = [], options = {}) {
      const statement: PendingStatement = { text, params, options };
      counter.count += 1;
      if (pending) {
        pending.push(statement);
        return;
      }
      await runPendingStatements(connection, [statement]);
    },
    queryCount: () => counter.count,
  };
  return executor;
}
