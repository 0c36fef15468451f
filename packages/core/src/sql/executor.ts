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
  /** How many statements this executor and its transactions have run, for tests. */
  queryCount(): number;
}
