import { asServiceRole, withClaims } from '@carequeue/core/sql';
import type { JwtClaims, QueryResult, SqlExecutor, SqlRow } from '@carequeue/core/sql';

/** Runs `sql` in a transaction as the database role `anon`, the role of a caller with no session. */
export function queryAsAnon(executor: SqlExecutor, sql: string): Promise<QueryResult<SqlRow>> {
  return executor.transaction(async (tx) => {
    await tx.query("SELECT set_config('role', 'anon', true)");
    return tx.query(sql);
  });
}

/** A row of `queue.<table>` belonging to `tenantId`, as JSON, read as the service role. */
export function firstRowOf(
  executor: SqlExecutor,
  table: string,
  tenantId: string,
): Promise<Record<string, unknown> | undefined> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ row: Record<string, unknown> }>(
      `SELECT to_jsonb(t) AS row FROM queue.${table} t WHERE tenant_id = $1 LIMIT 1`,
      [tenantId],
    );
    return rows[0]?.row;
  });
}

/** Inserts a copy of `row` (as {@link firstRowOf} reads it) into `queue.<table>` as `claims`. */
export function insertRowAs(
  executor: SqlExecutor,
  claims: JwtClaims,
  table: string,
  row: unknown,
): Promise<QueryResult<SqlRow>> {
  return withClaims(executor, claims, (tx) =>
    tx.query(
      `INSERT INTO queue.${table} SELECT * FROM jsonb_populate_record(NULL::queue.${table}, $1)`,
      [JSON.stringify(row)],
    ),
  );
}
