import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * A memory unit of work was started inside a running unit that holds the same memory
 * repositories. Units over the same repositories run one after the other, so the inner unit would
 * wait for the outer one, which waits for it: it is refused instead of hanging.
 *
 * @example
 * ```ts
 * import { NestedUnitOfWorkError } from '@carequeue/queue';
 *
 * new NestedUnitOfWorkError().code; // 'NESTED_UNIT_OF_WORK'
 * ```
 */
export class NestedUnitOfWorkError extends CarequeueError {
  constructor(options?: CarequeueErrorOptions) {
    super(
      'NESTED_UNIT_OF_WORK',
      500,
      'A unit of work was started inside a running unit over the same memory repositories, so it ' +
        'would wait for itself. Use the scope of the running unit, or start the second unit after ' +
        'the first one resolves.',
      options,
    );
  }
}
