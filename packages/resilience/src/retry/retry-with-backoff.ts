import { abortReason, type Clock, sleep, systemClock } from '@carequeue/core';
import { RetryBudgetExhaustedError } from '../errors.js';
import { contextOf, type Operation } from '../execution-context.js';
import { MAX_TIMER_MS } from '../config/timer-duration.js';
import { fullJitterDelay, retryAfterOf } from './backoff.js';
import { isTransientError } from './is-transient-error.js';
import type { RetryBudget } from './retry-budget.js';
import { retrySettings } from './retry-settings.js';

/**
 * What {@link RetryOptions.onRetry} hears before each retry.
 *
 * @example
 * ```ts
 * const onRetry = ({ attempt, delayMs }: RetryEvent) => logger.info({ attempt, delayMs }, 'retrying');
 * ```
 */
export interface RetryEvent {
  /** The retry about to run: 1 for the first retry. */
  readonly attempt: number;
  /** How long it waits before running. */
  readonly delayMs: number;
  /** The failure that caused it. */
  readonly error: unknown;
}

/**
 * Options of {@link retryWithBackoff}.
 *
 * @example
 * ```ts
 * const options: RetryOptions = { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 5000 };
 * ```
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt.
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Ceiling of the first retry's delay; each retry doubles it.
   * @default 1000
   */
  readonly baseDelayMs?: number;
  /**
   * Ceiling of any delay computed by backoff (a longer `retryAfterMs` is still honoured).
   * @default 30000
   */
  readonly maxDelayMs?: number;
  /**
   * Which failures to retry.
   * @default isTransientError
   */
  readonly shouldRetry?: (error: unknown) => boolean;
  /** Cancels the call, including a wait between attempts. */
  readonly signal?: AbortSignal | undefined;
  /** Absolute clock time after which no retry starts. */
  readonly deadline?: number | undefined;
  /** Overall time from the first attempt after which no retry starts. */
  readonly totalTimeoutMs?: number;
  /** Caps retries across calls; see {@link RetryBudget}. */
  readonly budget?: RetryBudget | undefined;
  /** Called before each retry. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Source of jitter in [0, 1).
   * @default Math.random
   */
  readonly random?: () => number;
}

/**
 * Runs `operation` and retries transient failures with exponential backoff and full jitter,
 * honouring `retryAfterMs`, the signal, the deadline and the retry budget.
 *
 * The roadmap's positional form `retryWithBackoff(operation, maxRetries, baseDelayMs)` works too.
 *
 * @throws the last failure when it is not transient, retries are used up, the deadline would
 * pass, or its `retryAfterMs` is longer than a timer can hold (2147483647 ms).
 * @throws ResilienceConfigError when the options are not an object, `maxRetries` is not an
 * integer of 0 or more, or a delay is not from 0 to 2147483647 ms.
 * @throws RetryBudgetExhaustedError when a retry was due but the budget is spent.
 * @throws the signal's reason when the signal aborts, even in the middle of a wait.
 * @example
 * ```ts
 * import { retryWithBackoff } from '@carequeue/resilience';
 *
 * const estimate = await retryWithBackoff(({ signal }) => ml.estimate(queueId, { signal }), {
 *   maxRetries: 3,
 *   baseDelayMs: 200,
 *   signal: request.signal,
 * });
 * await retryWithBackoff(() => twilio.send(message), 3, 1000);
 * ```
 */
export async function retryWithBackoff<T>(
  operation: Operation<T>,
  maxRetriesOrOptions: number | RetryOptions = {},
  baseDelayMs?: number,
): Promise<T> {
  const options: RetryOptions =
    typeof maxRetriesOrOptions === 'number'
      ? {
          maxRetries: maxRetriesOrOptions,
          ...(baseDelayMs === undefined ? {} : { baseDelayMs }),
        }
      : maxRetriesOrOptions;
  const {
    maxRetries,
    baseDelayMs: firstDelayMs,
    maxDelayMs,
  } = retrySettings('retryWithBackoff options', options);
  const clock = options.clock ?? systemClock;
  const shouldRetry = options.shouldRetry ?? isTransientError;
  const { signal, budget } = options;
  let deadline = options.deadline;
  if (options.totalTimeoutMs !== undefined) {
    deadline = Math.min(deadline ?? Number.POSITIVE_INFINITY, clock.now() + options.totalTimeoutMs);
  }
  const context = contextOf({ signal, deadline });
  budget?.recordCall();
  for (let attempt = 0; ; attempt += 1) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await operation(context);
    } catch (error) {
      if (signal?.aborted || attempt >= maxRetries || !shouldRetry(error)) throw error;
      const delayMs = Math.max(
        fullJitterDelay(attempt, firstDelayMs, maxDelayMs, options.random),
        retryAfterOf(error) ?? 0,
      );
      if (deadline !== undefined && clock.now() + delayMs >= deadline) throw error;
      // A timer fires a longer delay after 1 ms, which would turn "retry in a month" into an
      // instant retry storm; a wait that long is no retry, so the failure is returned.
      if (delayMs > MAX_TIMER_MS) throw error;
      if (budget !== undefined && !budget.tryAcquireRetry()) {
        throw new RetryBudgetExhaustedError({ cause: error });
      }
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(clock, delayMs, signal);
    }
  }
}
