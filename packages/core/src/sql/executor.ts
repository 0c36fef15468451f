/**
 * A result row: column names to values as the driver parsed them.
 *
 * @example
 * ```ts
 * const row: SqlRow = { id: clinicId, opens_at: new Date(clock.now()) };
 * ```
 */
export type SqlRow = Record<string, unknown>;

/**
 * What a query returns.
 *
 * @example
 * ```ts
 * const { rows, rowCount }: QueryResult<{ id: string }> = await sql.query('SELECT id FROM clinics');
 * ```
 */
export interface QueryResult<Row extends object> {
  readonly rows: Row[];
  /** Rows returned, or rows changed by INSERT/UPDATE/DELETE. */
  readonly rowCount: number;
}

/**
 * Options of {@link SqlExecutor.queryBeforeCommit}.
 *
 * @example
 * ```ts
 * const options: BeforeCommitOptions = {
 *   prepare: true,
 *   mapError: (error) => new AuditStoreError('postgres', 'append', { cause: error }),
 * };
 * ```
 */
export interface BeforeCommitOptions {
  /**
   * Parse the statement once per connection and reuse it (a named prepared statement on `pg`):
   * for a fixed statement that runs in most transactions. Ignored by drivers with no use for it,
   * and by a `pg` executor created with `preparedStatements: false`.
   *
   * @default false
   */
  readonly prepare?: boolean;
  /**
   * Turns this statement's failure, already a CareQueue error, into the caller's own error.
   * The transaction rolls back either way.
   */
  readonly mapError?: (error: Error) => Error;
}

/**
 * The SQL port: parameterized queries against Postgres (a `pg` pool) or PGlite, transactions,
 * and a query counter for tests. Every driver error is rethrown as a CareQueue error
 * (see {@link toSqlError}).
 *
 * @example
 * ```ts
 * const { rows } = await sql.query<{ id: string }>(
 *   'SELECT id FROM appointments WHERE tenant_id = $1 AND starts_at > $2',
 *   [tenantId, new Date(clock.now())],
 * );
 * ```
 */
export interface SqlExecutor {
  /** Runs one statement with `$1`-style parameters. */
  query<Row extends object = SqlRow>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
  /** Runs a script of one or more statements without parameters (migrations, fixtures). */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` in a transaction and commits when it resolves, rolls back when it rejects. `fn`
   * must use the executor it is given; nested calls become savepoints.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs a statement as the last step of this transaction, just before COMMIT. On `pg` it travels
   * with COMMIT in one round trip, so a write that only has to commit with the transaction (its
   * audit event, say) costs no wait of its own. Its failure fails the commit: the whole
   * transaction rolls back and `transaction()` rejects with the (mapped) error. A savepoint that
   * rolls back drops what was queued inside it. Inside a transaction the promise resolves at once;
   * outside one the statement runs now and the promise settles with it.
   *
   * @example
   * ```ts
   * await sql.transaction(async (tx) => {
   *   await tx.query('UPDATE appointments SET status = $1 WHERE id = $2', ['cancelled', id]);
   *   await tx.queryBeforeCommit('SELECT audit.append_event($1, $2)', [eventId, tenantId], { prepare: true });
   * });
   * ```
   */
  queryBeforeCommit(
    text: string,
    params?: readonly unknown[],
    options?: BeforeCommitOptions,
  ): Promise<void>;
  /** How many statements this executor and its transactions have run, for tests. */
  queryCount(): number;
}
