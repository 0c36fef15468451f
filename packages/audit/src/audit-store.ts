import type { AuditEvent } from './audit-event.js';
import type { ChainPosition, ChainVerification } from './chain-verifier.js';
import type { AuditTrailPage, AuditTrailQuery } from './trail-query.js';

/**
 * The part of a chain to verify. Without `start` verification begins at the genesis; with a
 * trusted position it begins after it. `expectedEnd` makes rows cut off the tail a break.
 * `checkpoint`, a position opened from a signed checkpoint (`openCheckpoint`), does both and
 * more: the chain must reach its sequence, and the hash there must be the signed one, so a chain
 * rewritten and hashed again by someone with database access fails (`rewritten`).
 *
 * @example
 * ```ts
 * const checkpoint = openCheckpoint(signed, publicKey, tenantId);
 * await store.verify(tenantId, { checkpoint });
 * ```
 */
export interface VerifyRange {
  readonly start?: ChainPosition;
  readonly toSequence?: number;
  readonly expectedEnd?: number;
  /** A signed position the chain must pass through with the same hash; within start..toSequence. */
  readonly checkpoint?: ChainPosition;
}

/**
 * Storage for audit events, one chain per tenant.
 *
 * `append` writes unsealed events; `seal` assigns each unsealed event of a tenant its sequence
 * number, previous hash and payload hash; `verify` recomputes the chain.
 *
 * @example
 * ```ts
 * const store: AuditStore = memoryAuditStore();
 * await store.append([event]);
 * await store.seal(event.tenantId);
 * (await store.verify(event.tenantId)).ok; // true
 * ```
 */
export interface AuditStore {
  /** Writes events durably, unsealed. */
  append(events: readonly AuditEvent[]): Promise<void>;
  /**
   * Seals up to `limit` unsealed events of a tenant, oldest first, and returns how many.
   *
   * @default limit 10000
   */
  seal(tenantId: string, limit?: number): Promise<number>;
  /** Reads a page of a tenant's trail. */
  query(query: AuditTrailQuery): Promise<AuditTrailPage>;
  /** Verifies a tenant's chain and reports the first break. */
  verify(tenantId: string, range?: VerifyRange): Promise<ChainVerification>;
  /** The last sealed position of a tenant's chain, or the genesis when nothing is sealed. */
  head(tenantId: string): Promise<ChainPosition>;
}
