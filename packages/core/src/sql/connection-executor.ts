import type { QueryResult, SqlExecutor, SqlRow } from './executor.js';
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

/**
 * Builds the {@link SqlExecutor} methods of one connection, mapping errors and counting queries;
 * `transaction` is either the driver's (top level) or a savepoint (inside a transaction).
 */
export function connectionExecutor(
  connection: DriverConnection,
  counter: ExecutorCounter,
  transaction: SqlExecutor['transaction'] | 'savepoint',
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
            await control(`SAVEPOINT ${name}`);
            try {
              const result = await fn(executor);
              await control(`RELEASE SAVEPOINT ${name}`);
              return result;
            } catch (error: unknown) {
              await control(`ROLLBACK TO SAVEPOINT ${name}`);
              throw error;
            }
          }
        : transaction,
    queryCount: () => counter.count,
  };
  return executor;
}
