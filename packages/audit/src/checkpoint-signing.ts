import { sign, type KeyObject } from 'node:crypto';
import type { Clock, ErrorIssue } from '@carequeue/core';
import {
  checkArguments,
  dateIssues,
  hashIssues,
  integerIssues,
  isRecord,
  textIssues,
  uuidIssues,
} from './argument-checks.js';
import type { ChainPosition } from './chain-verifier.js';
import type { AuditCheckpoint } from './checkpoint.js';

// The signing behind createCheckpoint and openCheckpoint, and the shape of a checkpoint read
// back. Internal: the package entry does not export this module; retention signs the heads it
// read inside its own transaction through it.

/**
 * The bytes a checkpoint's signature covers: its other fields, in a fixed order.
 *
 * @example
 * ```ts
 * verify(null, signedText(unsigned), publicKey, signature);
 * ```
 */
export function signedText(checkpoint: Omit<AuditCheckpoint, 'signature'>): Buffer {
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
 * The time a checkpoint is signed at, from `clock`.
 *
 * @throws {ValidationError} of `operation`, naming `<path>.now()`, when the clock tells no time
 *   from 1970 to 9999 (a `NaN` from a broken clock would otherwise throw a raw `RangeError`
 *   while signing)
 * @example
 * ```ts
 * const signedAt = signingTime(clock, 'createCheckpoint', 'clock');
 * ```
 */
export function signingTime(clock: Clock, operation: string, path: string): Date {
  const now: unknown = clock.now();
  const signedAt = new Date(typeof now === 'number' ? now : Number.NaN);
  checkArguments(
    operation,
    dateIssues(signedAt, `${path}.now()`).map((found) => ({
      ...found,
      message: 'must return epoch milliseconds from 1970 to the end of 9999',
    })),
  );
  return signedAt;
}

/**
 * Signs a chain head of a tenant at `signedAt` (from {@link signingTime}), for arguments the
 * caller has checked.
 *
 * @example
 * ```ts
 * const signedAt = signingTime(clock, 'createCheckpoint', 'clock');
 * const checkpoint = signChainHead(tenantId, await readChainHead(tx, tenantId), privateKey, signedAt);
 * ```
 */
export function signChainHead(
  tenantId: string,
  head: ChainPosition,
  privateKey: KeyObject,
  signedAt: Date,
): AuditCheckpoint {
  const unsigned = {
    version: 'cq-audit-checkpoint-v1' as const,
    tenantId: tenantId.toLowerCase(),
    sequence: head.sequence,
    hash: head.hash,
    signedAt: signedAt.toISOString(),
  };
  return {
    ...unsigned,
    signature: sign(null, signedText(unsigned), privateKey).toString('base64url'),
  };
}

/**
 * The fields of a checkpoint, each read once, or `value` itself when it is no object (so
 * {@link checkpointIssues} reports it).
 *
 * @example
 * ```ts
 * checkpointIssues(checkpointFields(value), 'checkpoint');
 * ```
 */
export function checkpointFields(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return {
    version: value['version'],
    tenantId: value['tenantId'],
    sequence: value['sequence'],
    hash: value['hash'],
    signedAt: value['signedAt'],
    signature: value['signature'],
  };
}

/**
 * The issues of a value that must be an `AuditCheckpoint` as `createCheckpoint` writes it
 * (read back from JSON, say): the version tag, a tenant UUID, a sequence, a chain hash, the
 * signing time and a signature. The signature itself is checked by `openCheckpoint`.
 *
 * @example
 * ```ts
 * if (checkpointIssues(JSON.parse(text), 'checkpoint').length > 0) throw new Error('not a checkpoint');
 * ```
 */
export function checkpointIssues(value: unknown, path: string): ErrorIssue[] {
  if (!isRecord(value)) return [{ path, message: 'must be a checkpoint object' }];
  return [
    ...(value['version'] === 'cq-audit-checkpoint-v1'
      ? []
      : [{ path: `${path}.version`, message: 'must be cq-audit-checkpoint-v1' }]),
    ...uuidIssues(value['tenantId'], `${path}.tenantId`),
    ...integerIssues(value['sequence'], `${path}.sequence`, {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    ...hashIssues(value['hash'], `${path}.hash`),
    ...textIssues(value['signedAt'], `${path}.signedAt`, { max: 64 }),
    ...textIssues(value['signature'], `${path}.signature`, { max: 1_024 }),
  ];
}
