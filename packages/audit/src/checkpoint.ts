import { sign, verify, type KeyObject } from 'node:crypto';
import { systemClock, type Clock } from '@carequeue/core';
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

function signedText(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(
    JSON.stringify([
      checkpoint.version,
      checkpoint.tenantId,
      checkpoint.sequence,
      checkpoint.hash,
      checkpoint.signedAt,
    ]),
    'utf8',
  );
}

/**
 * Signs the current head of a tenant's chain with an Ed25519 private key.
 *
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
  const head = await store.head(tenantId);
  const unsigned = {
    version: 'cq-audit-checkpoint-v1' as const,
    tenantId,
    sequence: head.sequence,
    hash: head.hash,
    signedAt: new Date(clock.now()).toISOString(),
  };
  return {
    ...unsigned,
    signature: sign(null, signedText(unsigned), privateKey).toString('base64url'),
  };
}

/**
 * Checks a checkpoint's signature and returns the chain position it vouches for, to pass to
 * `verify` as `start` (verify after it) or as `expectedEnd` (nothing before it was cut).
 *
 * @throws {AuditCheckpointInvalidError} when the signature does not verify with the public key
 * @example
 * ```ts
 * const position = openCheckpoint(checkpoint, publicKey);
 * await store.verify(tenantId, { start: position });
 * ```
 */
export function openCheckpoint(checkpoint: AuditCheckpoint, publicKey: KeyObject): ChainPosition {
  const { signature, ...unsigned } = checkpoint;
  let valid: boolean;
  try {
    valid = verify(null, signedText(unsigned), publicKey, Buffer.from(signature, 'base64url'));
  } catch (error: unknown) {
    throw new AuditCheckpointInvalidError({ cause: error });
  }
  if (!valid) throw new AuditCheckpointInvalidError();
  return { sequence: checkpoint.sequence, hash: checkpoint.hash };
}
