import type { SqlExecutor } from '@carequeue/core/sql';

/**
 * What someone with database access can do to a sealed chain: edit the event at `from` (2 or
 * more) and hash every row from there again with the SQL hash function, so the chain agrees with
 * itself. The executor must run as a superuser (the append-only triggers let it through).
 */
export async function rewriteChainFrom(
  sql: SqlExecutor,
  tenantId: string,
  from: number,
): Promise<void> {
  await sql.query(
    `UPDATE audit.events SET action = 'rewritten'
      WHERE id = (SELECT event_id FROM audit.chain WHERE tenant_id = $1 AND sequence = $2)`,
    [tenantId, from],
  );
  const { rows } = await sql.query<{ sequence: string | number }>(
    'SELECT sequence FROM audit.chain WHERE tenant_id = $1 AND sequence >= $2 ORDER BY sequence',
    [tenantId, from],
  );
  for (const row of rows) {
    await sql.query(
      `UPDATE audit.chain c
          SET previous_hash = p.payload_hash, payload_hash = audit.payload_hash(e, p.payload_hash)
         FROM audit.chain p, audit.events e
        WHERE c.tenant_id = $1 AND c.sequence = $2
          AND p.tenant_id = $1 AND p.sequence = $2 - 1 AND e.id = c.event_id`,
      [tenantId, Number(row.sequence)],
    );
  }
}
