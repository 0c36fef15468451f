import { abortReason, type Clock, systemClock, TimeoutError } from '@carequeue/core';
import { optionsObject } from './config/options-object.js';
import { timerDurationMs } from './config/timer-duration.js';
import type { ExecuteOptions, Operation, Policy } from './execution-context.js';

/**
 * Options of {@link createTimeoutPolicy}.
 *
 * @example
 * ```ts
 * const options: TimeoutOptions = { name: 'ml.estimate', clock };
 * ```
 */
export interface TimeoutOptions {
  /**
   * What timed out, for the `TimeoutError` (never put patient data here).
   * @default 'operation'
   */
  readonly name?: string;
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * A timeout {@link Policy}: the call fails with a `TimeoutError` after `ms` or at the caller's
 * deadline, whichever comes first; the operation's signal aborts then, and the operation receives
 * the tighter deadline to pass to nested calls.
 *
 * @throws ResilienceConfigError at once when `ms` is not greater than 0 and at most
 * 2147483647 (a timer cannot hold more), or `options` is not an object.
 * @throws TimeoutError when the time runs out (at once when the deadline has already passed).
 * @throws the caller's abort reason when the caller's signal aborts first.
 * @example
 * ```ts
 * import { createTimeoutPolicy } from '@carequeue/resilience';
 *
 * const twoSeconds = createTimeoutPolicy(2000, { name: 'twilio.send' });
 * await twoSeconds.execute(({ signal, deadline }) => twilio.send(message, { signal, deadline }));
 * ```
 */
export function createTimeoutPolicy(ms: number, options: TimeoutOptions = {}): Policy {
  timerDurationMs('timeout ms', ms);
  const { clock = systemClock, name = 'operation' } = optionsObject('timeout options', options);
  return {
    execute<T>(operation: Operation<T>, call?: ExecuteOptions): Promise<T> {
      const startedAt = clock.now();
      const deadline = Math.min(startedAt + ms, call?.deadline ?? Number.POSITIVE_INFINITY);
      const budget = deadline - startedAt;
      if (budget <= 0) return Promise.reject(new TimeoutError(name, 0));
      const parent = call?.signal;
      const controller = new AbortController();
      return new Promise<T>((resolve, reject) => {
        const onParentAbort = (): void => {
          cleanup();
          const reason = abortReason(parent);
          controller.abort(reason);
          reject(reason);
        };
        const timer = clock.setTimeout(() => {
          cleanup();
          const error = new TimeoutError(name, budget);
          controller.abort(error);
          reject(error);
        }, budget);
        function cleanup(): void {
          clock.clearTimeout(timer);
          parent?.removeEventListener('abort', onParentAbort);
        }
        if (parent?.aborted) {
          onParentAbort();
          return;
        }
        parent?.addEventListener('abort', onParentAbort, { once: true });
        const result = Promise.resolve().then(() =>
          operation({ signal: controller.signal, deadline }),
        );
        result.then(
          (value) => {
            cleanup();
            resolve(value);
          },
          () => {
            cleanup();
            // Settling with the operation's own promise passes its rejection on unchanged.
            resolve(result);
          },
        );
      });
    },
  };
}
