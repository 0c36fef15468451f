import { isRecord, throwIfIssues } from '../argument-checks.js';
import type { ErrorIssue } from '../errors.js';
import {
  connectionExecutor,
  runPendingStatements,
  type DriverConnection,
  type ExecutorCounter,
  type PendingStatement,
} from './connection-executor.js';
import { toSqlError } from './errors.js';
import type { SqlExecutor, SqlRow } from './executor.js';

/**
 * The part of a PGlite query result the executor reads.
 *
 * @example
 * ```ts
 * const result: PgliteResultLike = await db.query('SELECT 1 AS one');
 * ```
 */
export interface PgliteResultLike {
  rows: unknown[];
  affectedRows?: number;
}

/**
 * The part of a PGlite connection or transaction the executor uses.
 *
 * @example
 * ```ts
 * const connection: PgliteConnectionLike = db;
 * ```
 */
export interface PgliteConnectionLike {
  query(text: string, params?: unknown[]): Promise<PgliteResultLike>;
  exec(script: string): Promise<unknown>;
}

/**
 * The part of a `PGlite` instance the executor uses; a real `PGlite` satisfies it.
 *
 * @example
 * ```ts
 * const db: PgliteLike = await PGlite.create({ extensions: { btree_gist } });
 * ```
 */
export interface PgliteLike extends PgliteConnectionLike {
  transaction<T>(fn: (tx: PgliteConnectionLike) => Promise<T>): Promise<T>;
}

function driverConnection(target: PgliteConnectionLike): DriverConnection {
  return {
    async query(text, params) {
      const result = await target.query(text, [...params]);
      return {
        rows: result.rows as SqlRow[],
        // PGlite reports affectedRows 0 for SELECT; the row count is then the rows returned.
        rowCount: Math.max(result.affectedRows ?? 0, result.rows.length),
      };
    },
    async exec(script) {
      await target.exec(script);
    },
  };
}

/**
 * Creates a {@link SqlExecutor} on a PGlite instance (embedded Postgres). PGlite runs one
 * statement at a time, so transactions run one after another.
 *
 * @example
 * ```ts
 * const sql = createPgliteExecutor(await openPglite());
 * await migrate(sql, [coreMigrations]);
 * ```
 */
export function createPgliteExecutor(db: PgliteLike): SqlExecutor {
  const counter: ExecutorCounter = { count: 0, savepoints: 0 };
  async function transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let callbackFailure: { error: unknown } | undefined;
    try {
      return await db.transaction(async (tx) => {
        const connection = driverConnection(tx);
        const pending: PendingStatement[] = [];
        try {
          const result = await fn(connectionExecutor(connection, counter, 'savepoint', pending));
          // In process there is no round trip to save: the queued statements simply run last.
          await runPendingStatements(connection, pending);
          return result;
        } catch (error: unknown) {
          callbackFailure = { error };
          throw error;
        }
      });
    } catch (error: unknown) {
      // Errors of the callback pass through as thrown; only BEGIN/COMMIT failures are mapped.
      if (callbackFailure?.error === error) throw error;
      throw toSqlError(error);
    }
  }
  return connectionExecutor(driverConnection(db), counter, transaction);
}

/**
 * Options of {@link openPglite}.
 *
 * @example
 * ```ts
 * const options: OpenPgliteOptions = { dataDir: './.data/pglite' };
 * ```
 */
export interface OpenPgliteOptions {
  /**
   * Where PGlite keeps its files (`idb://name` in a browser).
   *
   * @default in memory
   */
  readonly dataDir?: string;
}

/** The longest data directory accepted. */
const MAX_DATA_DIR_LENGTH = 4096;

function openPgliteOptionsIssues(options: unknown): ErrorIssue[] {
  const prototype: unknown = isRecord(options) ? Object.getPrototypeOf(options) : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    return [{ path: 'options', message: 'must be a plain object or be left out' }];
  }
  const fields = options as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => key !== 'dataDir');
  const { dataDir } = fields;
  return [
    // A misspelt dataDir would otherwise open an in-memory database and lose every write.
    ...(unknown.length === 0
      ? []
      : [
          {
            path: 'options',
            message: `has ${unknown.length} unrecognized field(s); only dataDir is read`,
          },
        ]),
    ...(dataDir === undefined ||
    (typeof dataDir === 'string' &&
      dataDir.length > 0 &&
      dataDir.length <= MAX_DATA_DIR_LENGTH &&
      !dataDir.includes('\u0000'))
      ? []
      : [
          {
            path: 'options.dataDir',
            message: `must be a path of 1 to ${MAX_DATA_DIR_LENGTH} characters without NUL characters`,
          },
        ]),
  ];
}

/**
 * Starts a PGlite instance with the `btree_gist` extension loaded (the booking exclusion
 * constraint needs it) and created. Starting PGlite takes seconds: start one and reuse it.
 *
 * @throws `ValidationError` naming the option, before anything starts, when `options` is not a
 * plain object, has a field other than `dataDir`, or `dataDir` is not a path of 1 to 4096 characters
 * without NUL characters.
 * @example
 * ```ts
 * const db = await openPglite();
 * const sql = createPgliteExecutor(db);
 * ```
 */
export async function openPglite(
  options: OpenPgliteOptions = {},
): Promise<PgliteLike & { close(): Promise<void> }> {
  throwIfIssues('openPglite', openPgliteOptionsIssues(options));
  const [{ PGlite }, { btree_gist }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
  ]);
  const db = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    extensions: { btree_gist },
  });
  await db.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
  return db;
}
