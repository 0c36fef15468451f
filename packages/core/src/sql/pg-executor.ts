import {
  integerIssues,
  isRecord,
  optionalBooleanIssues,
  optionalRecordIssues,
  throwIfIssues,
} from '../argument-checks.js';
import type { ErrorIssue } from '../errors.js';
import {
  connectionExecutor,
  runPendingStatements,
  type DriverConnection,
  type ExecutorCounter,
  type PendingStatement,
} from './connection-executor.js';
import { toSqlError } from './errors.js';
import { commitWithStatements, isPipelineClient, type WireValue } from './pg-commit-pipeline.js';
import type { SqlExecutor, SqlRow } from './executor.js';

/**
 * The part of a `pg` query result the executor reads.
 *
 * @example
 * ```ts
 * const result: PgResultLike = await pool.query('SELECT 1 AS one');
 * ```
 */
export interface PgResultLike {
  rows: unknown[];
  rowCount: number | null;
}

/**
 * The part of a `pg.PoolClient` the executor uses.
 *
 * @example
 * ```ts
 * const client: PgClientLike = await pool.connect();
 * ```
 */
export interface PgClientLike {
  query(text: string, params?: unknown[]): Promise<PgResultLike>;
  release(destroy?: boolean | Error): void;
}

/**
 * The part of a `pg.Pool` the executor uses; a real `pg.Pool` satisfies it.
 *
 * @example
 * ```ts
 * const pool: PgPoolLike = new pg.Pool({ connectionString });
 * ```
 */
export interface PgPoolLike {
  query(text: string, params?: unknown[]): Promise<PgResultLike>;
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

/**
 * Options of {@link createPgExecutor}: an existing pool, or settings to build one.
 *
 * @example
 * ```ts
 * const options: PgExecutorOptions = { connectionString: process.env.DATABASE_URL!, poolSize: 20 };
 * ```
 */
export type PgExecutorOptions = PgStatementOptions &
  (
    | {
        /** A pool the host owns; {@link PgSqlExecutor.close} leaves it open. */
        readonly pool: PgPoolLike;
      }
    | {
        readonly connectionString: string;
        /**
         * Maximum connections in the pool.
         *
         * @default 10
         */
        readonly poolSize?: number;
        /** Any other `pg.PoolConfig` setting (ssl, timeouts, application_name). */
        readonly poolConfig?: Readonly<Record<string, unknown>>;
      }
  );

/**
 * How a {@link createPgExecutor} executor sends statements.
 *
 * @example
 * ```ts
 * // A direct connection or a session-mode pooler keeps named statements:
 * createPgExecutor({ connectionString, preparedStatements: true });
 * ```
 */
export interface PgStatementOptions {
  /**
   * Parse statements marked `prepare` once per connection, as named prepared statements (about
   * 35 µs of server time saved per audited transaction). Off by default because transaction-mode
   * poolers hand a session's statements to other server connections, where the names are
   * unknown: Supavisor in transaction mode (Supabase's port 6543) and PgBouncer before 1.21.
   * Turn it on with a direct connection or a session-mode pooler.
   *
   * @default false
   */
  readonly preparedStatements?: boolean;
}

/**
 * A {@link SqlExecutor} on a `pg` pool, with a way to close the pool it built.
 *
 * @example
 * ```ts
 * const sql: PgSqlExecutor = createPgExecutor({ connectionString });
 * await sql.close();
 * ```
 */
export interface PgSqlExecutor extends SqlExecutor {
  /** Ends the pool when the executor built it; a pool passed in is left to its owner. */
  close(): Promise<void>;
}

function driverConnection(target: PgPoolLike | PgClientLike): DriverConnection {
  return {
    async query(text, params) {
      const result = await target.query(text, [...params]);
      return { rows: result.rows as SqlRow[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await target.query(script);
    },
  };
}

async function controlStatement(client: PgClientLike, statement: string): Promise<void> {
  try {
    await client.query(statement);
  } catch (error: unknown) {
    throw toSqlError(error);
  }
}

// pg converts parameters (dates, arrays, JSON, buffers) with this function; a commit pipeline
// writes its own messages and converts the same way. Loaded on first use, as pg itself is; once
// the lookup settled, `wireValue` holds its result (null when pg has no such function).
let wireValue: WireValue | null | undefined;
let wireValueLoad: Promise<WireValue | null> | undefined;

function loadWireValue(): Promise<WireValue | null> {
  const specifier = 'pg/lib/utils.js';
  wireValueLoad ??= import(specifier)
    .then(
      (module: { default?: { prepareValue?: unknown } }) => {
        const prepareValue = module.default?.prepareValue;
        return typeof prepareValue === 'function' ? (prepareValue as WireValue) : null;
      },
      () => null,
    )
    .then((found) => (wireValue = found));
  return wireValueLoad;
}

async function commit(
  client: PgClientLike,
  pending: readonly PendingStatement[],
  preparedStatements: boolean,
): Promise<void> {
  if (pending.length > 0) {
    if (isPipelineClient(client)) {
      const toWire = wireValue ?? (await loadWireValue());
      if (toWire) {
        await commitWithStatements(client, pending, toWire, preparedStatements);
        return;
      }
    }
    await runPendingStatements(driverConnection(client), pending);
  }
  await controlStatement(client, 'COMMIT');
}

/** The most connections a pool built from a connection string may open. */
const MAX_POOL_SIZE = 1000;

/** The longest connection string accepted. */
const MAX_CONNECTION_STRING_LENGTH = 4096;

function hasFunctions(value: unknown, names: readonly string[]): boolean {
  return isRecord(value) && names.every((name) => typeof value[name] === 'function');
}

// Messages never carry the connection string: it holds the database password.
function pgExecutorOptionsIssues(options: unknown): ErrorIssue[] {
  if (!isRecord(options)) {
    return [{ path: 'options', message: 'must be an object with a pool or a connectionString' }];
  }
  const shared = optionalBooleanIssues(options['preparedStatements'], 'options.preparedStatements');
  if ('pool' in options) {
    return [
      ...(hasFunctions(options['pool'], ['query', 'connect', 'end'])
        ? []
        : [{ path: 'options.pool', message: 'must be a pg Pool (query, connect and end)' }]),
      ...shared,
    ];
  }
  const { connectionString, poolSize } = options;
  return [
    ...(typeof connectionString === 'string' &&
    connectionString.length > 0 &&
    connectionString.length <= MAX_CONNECTION_STRING_LENGTH
      ? []
      : [
          {
            path: 'options.connectionString',
            message: `must be a string of 1 to ${MAX_CONNECTION_STRING_LENGTH} characters, or pass a pool instead`,
          },
        ]),
    ...(poolSize === undefined
      ? []
      : integerIssues(poolSize, 'options.poolSize', 1, MAX_POOL_SIZE)),
    ...optionalRecordIssues(options['poolConfig'], 'options.poolConfig'),
    ...shared,
  ];
}

async function buildPool(
  connectionString: string,
  max: number,
  extra: Readonly<Record<string, unknown>>,
): Promise<PgPoolLike> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({ ...extra, connectionString, max });
  // The server can end an idle connection (a restart, a failover, an administrator); the pool
  // then drops that client and emits 'error', which without a listener ends the process. The next
  // query opens a new connection, and a query on a dead one still fails with its own error.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Creates a {@link SqlExecutor} on a pooled `pg` connection. Queries go to any pooled
 * connection; a transaction holds one connection from BEGIN to COMMIT or ROLLBACK. Statements
 * queued with `queryBeforeCommit` are written together with COMMIT and answered in one round trip
 * (on `pg`'s JavaScript client; with `pg-native` they run one by one before COMMIT).
 *
 * @throws {@link DatabaseError} (from queries) when the server cannot be reached.
 * @throws `ValidationError` naming the option (never its value) when `options` is not an object,
 * `pool` is not a pg pool, or, without a pool, `connectionString` is not a string of 1 to 4096
 * characters, `poolSize` not an integer from 1 to 1000 or `poolConfig` not an object.
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPgExecutor } from '@carequeue/core/sql';
 *
 * const sql = createPgExecutor({ pool: new pg.Pool({ connectionString, max: 20 }) });
 * await sql.transaction(async (tx) => {
 *   await tx.query('UPDATE queue_entries SET status = $1 WHERE id = $2', ['called', entryId]);
 * });
 * ```
 */
export function createPgExecutor(options: PgExecutorOptions): PgSqlExecutor {
  throwIfIssues('createPgExecutor', pgExecutorOptionsIssues(options));
  const ownsPool = !('pool' in options);
  const poolPromise: Promise<PgPoolLike> =
    'pool' in options
      ? Promise.resolve(options.pool)
      : buildPool(options.connectionString, options.poolSize ?? 10, options.poolConfig ?? {});
  const counter: ExecutorCounter = { count: 0, savepoints: 0 };
  const preparedStatements = options.preparedStatements ?? false;

  async function transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const pool = await poolPromise;
    let client: PgClientLike;
    try {
      client = await pool.connect();
    } catch (error: unknown) {
      throw toSqlError(error);
    }
    const pending: PendingStatement[] = [];
    const tx = connectionExecutor(driverConnection(client), counter, 'savepoint', pending);
    try {
      await controlStatement(client, 'BEGIN');
      const result = await fn(tx);
      await commit(client, pending, preparedStatements);
      client.release();
      return result;
    } catch (error: unknown) {
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch (rollbackError: unknown) {
        // A connection that cannot roll back is broken; destroy it rather than return it to the pool.
        client.release(rollbackError instanceof Error ? rollbackError : true);
      }
      throw error;
    }
  }

  const lazyPool: DriverConnection = {
    query: async (text, params) => driverConnection(await poolPromise).query(text, params),
    exec: async (script) => driverConnection(await poolPromise).exec(script),
  };

  return {
    ...connectionExecutor(lazyPool, counter, transaction),
    async close() {
      if (ownsPool) await (await poolPromise).end();
    },
  };
}
