import { verify, type KeyObject } from 'node:crypto';
import { systemClock, type Clock } from '@carequeue/core';
import {
  checkArguments,
  clockIssues,
  signingKeyIssues,
  storeIssues,
  uuidIssues,
} from './argument-checks.js';
import {
  checkpointFields,
  checkpointIssues,
  signChainHead,
  signedText,
  signingTime,
} from './checkpoint-signing.js';
import type { AuditStore } from './audit-store.js';
import type { ChainPosition } from './chain-verifier.js';
import { AuditCheckpointInvalidError } from './errors.js';

/**
 * A signed statement of a tenant's chain head, to be kept outside the database (for example in
 * write-once object storage). Plain JSON, so it can be exported as is.
 *
 * @example
 * ```ts
 * const checkpoint = await createCheckpoint(store, tenantId, privateKey);
 * await writeOnceBucket.put(`${tenantId}/${checkpoint.sequence}.json`, JSON.stringify(checkpoint));
 * ```
 */
export interface AuditCheckpoint {
  readonly version: 'cq-audit-checkpoint-v1';
  readonly tenantId: string;
  readonly sequence: number;
  readonly hash: string;
  readonly signedAt: string;
  /** Ed25519 signature (base64url) of the other fields' canonical text. */
  readonly signature: string;
}

/**
 * Signs the current head of a tenant's chain with an Ed25519 private key.
 *
 * @throws {ValidationError} when `store` is not an AuditStore, `tenantId` not a UUID,
 *   `privateKey` not an Ed25519 private key, or `clock` not a Clock telling a time from 1970 to
 *   9999, before the store is read
 * @example
 * ```ts
 * const { privateKey, publicKey } = generateKeyPairSync('ed25519');
 * const checkpoint = await createCheckpoint(store, tenantId, privateKey);
 * ```
 */
export async function createCheckpoint(
  store: AuditStore,
  tenantId: string,
  privateKey: KeyObject,
  clock: Clock = systemClock,
): Promise<AuditCheckpoint> {
  checkArguments(
    'createCheckpoint',
    storeIssues(store, 'store'),
    uuidIssues(tenantId, 'tenantId'),
    signingKeyIssues(privateKey, 'privateKey', 'sign'),
    clockIssues(clock, 'clock'),
  );
  // The signing time is taken first, so a clock that tells no valid time is refused before the
  // store is read.
  const signedAt = signingTime(clock, 'createCheckpoint', 'clock');
  return signChainHead(tenantId, await store.head(tenantId), privateKey, signedAt);
}

/**
 * Checks that a checkpoint was signed for `tenantId` and that its signature verifies, and returns
 * the chain position it vouches for. Pass it to `verify` as `checkpoint`: the chain must reach
 * that sequence with that hash, so a chain rewritten and hashed again since it was signed fails.
 * (As `start` it only checks what came after it.) The tenant is part of the check because a
 * checkpoint is a statement about one tenant's chain: another tenant's, however well signed,
 * proves nothing about this one.
 *
 * @throws {ValidationError} when `checkpoint` is not shaped like one, `publicKey` is not an
 *   Ed25519 key or `tenantId` not a UUID
 * @throws {AuditCheckpointInvalidError} when it was signed for another tenant (`reason: 'tenant'`)
 *   or its signature does not verify with the public key (`reason: 'signature'`)
 * @example
 * ```ts
 * const checkpoint = openCheckpoint(signed, publicKey, tenantId);
 * await store.verify(tenantId, { checkpoint });
 * ```
 */
export function openCheckpoint(
  checkpoint: AuditCheckpoint,
  publicKey: KeyObject,
  tenantId: string,
): ChainPosition {
  // Each field is read once, so what is checked is what is verified, even from an object whose
  // getters answer differently on a second read.
  const fields = checkpointFields(checkpoint);
  checkArguments(
    'openCheckpoint',
    checkpointIssues(fields, 'checkpoint'),
    signingKeyIssues(publicKey, 'publicKey', 'verify'),
    uuidIssues(tenantId, 'tenantId'),
  );
  const { signature, ...unsigned } = fields as AuditCheckpoint;
  if (unsigned.tenantId.toLowerCase() !== tenantId.toLowerCase()) {
    throw new AuditCheckpointInvalidError({ reason: 'tenant' });
  }
  let valid: boolean;
  try {
    valid = verify(null, signedText(unsigned), publicKey, Buffer.from(signature, 'base64url'));
  } catch (error: unknown) {
    throw new AuditCheckpointInvalidError({ cause: error });
  }
  if (!valid) throw new AuditCheckpointInvalidError();
  return { sequence: unsigned.sequence, hash: unsigned.hash };
}
