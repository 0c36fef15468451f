import type { SqlExecutor } from '@carequeue/core/sql';
import { GENESIS_HASH } from '../canonical-form.js';
import type { ChainPosition } from '../chain-verifier.js';

/** A row of `audit.chain_head(tenant)`: the last sealed position of a tenant's chain. */
export interface ChainHeadRow {
  sequence: string | number | bigint;
  payload_hash: string;
}

/**
 * The chain position of a `chain_head` row: the genesis position when the tenant has no sealed
 * event yet (no row).
 *
 * @example
 * ```ts
 * chainPositionOf(undefined); // { sequence: 0, hash: GENESIS_HASH }
 * chainPositionOf({ sequence: '42', payload_hash: 'ab…' }); // { sequence: 42, hash: 'ab…' }
 * ```
 */
export function chainPositionOf(row: ChainHeadRow | undefined): ChainPosition {
  return row
    ? { sequence: Number(row.sequence), hash: row.payload_hash }
    : { sequence: 0, hash: GENESIS_HASH };
}

/**
 * Reads the chain head of `tenantId` with one `audit.chain_head` call on `executor`.
 *
 * @example
 * ```ts
 * const { sequence, hash } = await readChainHead(tx, tenantId);
 * ```
 */
export async function readChainHead(
  executor: SqlExecutor,
  tenantId: string,
): Promise<ChainPosition> {
  const { rows } = await executor.query<ChainHeadRow>(
    'SELECT sequence, payload_hash FROM audit.chain_head($1)',
    [tenantId],
  );
  return chainPositionOf(rows[0]);
}
