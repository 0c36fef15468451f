import type { ExecuteOptions, Operation, Policy } from '../execution-context.js';
import { createRetryBudget, type RetryBudget } from './retry-budget.js';
import { retrySettings } from './retry-settings.js';
import { type RetryOptions, retryWithBackoff } from './retry-with-backoff.js';

/**
 * Options of {@link createRetryPolicy}: those of {@link retryWithBackoff} without the per-call signal and
 * deadline, plus the budget, which defaults to one shared by every call through the policy.
 *
 * @example
 * ```ts
 * const options: RetryPolicyOptions = { maxRetries: 2, budget: false };
 * ```
 */
export interface RetryPolicyOptions extends Omit<RetryOptions, 'signal' | 'deadline' | 'budget'> {
  /**
   * The budget shared by the policy's calls; `false` turns it off.
   * @default createRetryBudget({ clock })
   */
  readonly budget?: RetryBudget | false;
}

/**
 * A retry {@link Policy} for pipelines: {@link retryWithBackoff} with a retry budget shared by
 * every call through it, taking each call's signal and deadline.
 *
 * @throws ResilienceConfigError at once when the options are not an object, `maxRetries` is not
 * an integer of 0 or more, or a delay is not from 0 to 2147483647 ms.
 * @example
 * ```ts
 * import { createRetryPolicy } from '@carequeue/resilience';
 *
 * const policy = createRetryPolicy({ maxRetries: 3, baseDelayMs: 100 });
 * await policy.execute(({ signal }) => sms.send(message, { signal }), { signal });
 * ```
 */
export function createRetryPolicy(options: RetryPolicyOptions = {}): Policy {
  // Checked here as well as per call, so a bad policy fails where it is built, not on first use.
  retrySettings('retry options', options);
  const budget =
    options.budget === false
      ? undefined
      : (options.budget ??
        createRetryBudget(options.clock === undefined ? {} : { clock: options.clock }));
  return {
    execute<T>(operation: Operation<T>, call?: ExecuteOptions): Promise<T> {
      return retryWithBackoff(operation, {
        ...options,
        budget,
        signal: call?.signal,
        deadline: call?.deadline,
      });
    },
  };
}
