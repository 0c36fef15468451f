import type { VerifyRange } from '../audit-store.js';
import { createChainVerifier, type ChainVerification } from '../chain-verifier.js';

/** One row of `audit.chain_links`: a sealed link with the hash recomputed from its event. */
export interface ChainLinkRow {
  sequence: string | number | bigint;
  previous_hash: string;
  payload_hash: string;
  recomputed_hash: string | null;
}

/** Reads up to `limit` links of the chain after sequence `after`, up to sequence `to`. */
export type ChainLinkPageReader = (
  after: number,
  to: string,
  limit: number,
) => Promise<readonly ChainLinkRow[]>;

const PAGE_SIZE = 1_000;
const LAST_SEQUENCE = '9223372036854775807';

/**
 * Verifies a tenant's chain over `range` by reading `audit.chain_links` page by page, stopping at
 * the first break. Shared by every store whose chain lives in SQL.
 *
 * @example
 * ```ts
 * const result = await verifyChainLinks(range, (after, to, limit) =>
 *   executor
 *     .query<ChainLinkRow>('SELECT * FROM audit.chain_links($1, $2, $3, $4)', [tenantId, after, to, limit])
 *     .then(({ rows }) => rows),
 * );
 * ```
 */
export async function verifyChainLinks(
  range: VerifyRange,
  readPage: ChainLinkPageReader,
): Promise<ChainVerification> {
  const verifier = createChainVerifier(range.start, range.checkpoint);
  let after = range.start?.sequence ?? 0;
  const to = range.toSequence === undefined ? LAST_SEQUENCE : String(range.toSequence);
  for (;;) {
    const rows = await readPage(after, to, PAGE_SIZE);
    let done = false;
    for (const row of rows) {
      done = verifier.push({
        sequence: Number(row.sequence),
        previousHash: row.previous_hash,
        payloadHash: row.payload_hash,
        recomputedHash: row.recomputed_hash,
      });
      if (done) break;
    }
    const last = rows[rows.length - 1];
    if (done || !last || rows.length < PAGE_SIZE) break;
    after = Number(last.sequence);
  }
  return verifier.finish(range.expectedEnd);
}
