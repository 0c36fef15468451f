import { CarequeueError, type CarequeueErrorOptions } from '@carequeue/core';

/**
 * A factory of `@carequeue/queue` was given options it cannot work with: a missing port, a port
 * without the methods it calls, or a number out of range. The message names the factory and the
 * option, never the value given; fix the configuration.
 *
 * @example
 * ```ts
 * import { QueueConfigError } from '@carequeue/queue';
 *
 * const err = new QueueConfigError('createQueueService options.clock must be a Clock (with now).');
 * err.code; // 'QUEUE_CONFIG_INVALID'
 * ```
 */
export class QueueConfigError extends CarequeueError {
  constructor(problem: string, options?: CarequeueErrorOptions) {
    super('QUEUE_CONFIG_INVALID', 500, `Invalid queue configuration: ${problem}`, options);
  }
}
