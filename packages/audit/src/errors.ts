import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * The audit chain failed verification. Run verify to find the first broken row.
 *
 * @example
 * ```ts
 * import { AuditChainBrokenError, isCarequeueError } from '@carequeue/audit';
 *
 * const err = new AuditChainBrokenError();
 * isCarequeueError(err); // true
 * err.code; // 'AUDIT_CHAIN_BROKEN'
 * ```
 */
export class AuditChainBrokenError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'AUDIT_CHAIN_BROKEN',
      500,
      'The audit chain failed verification. Run verify to find the first broken row.',
      options,
    );
  }
}

/**
 * Every error class of `@carequeue/audit`, keyed by class name.
 *
 * @example
 * ```ts
 * if (err instanceof errors.AuditChainBrokenError) console.warn(err.code);
 * ```
 */
export const errors = { AuditChainBrokenError } as const;
