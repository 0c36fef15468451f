import type { Clock } from '@carequeue/core';
import {
  contextOf,
  type ExecuteOptions,
  type Operation,
  type Policy,
} from './execution-context.js';
import { optionsObject } from './config/options-object.js';
import { timerDurationMs } from './config/timer-duration.js';
import { createTimeoutPolicy } from './timeout.js';

/**
 * The rate-limit step of a {@link createPipelinePolicy}: resolves when the call may proceed and throws
 * (typically core's `RateLimitedError`, with `retryAfterMs`) when it may not.
 *
 * @example
 * ```ts
 * const perClinic: RateLimitStep = {
 *   acquire: async ({ key }) => {
 *     if (!bucket.take(key)) throw new RateLimitedError(1000);
 *   },
 * };
 * ```
 */
export interface RateLimitStep {
  acquire(options: {
    readonly key?: string | undefined;
    readonly signal?: AbortSignal | undefined;
  }): Promise<void>;
}

/**
 * The steps of a {@link createPipelinePolicy}; each is optional.
 *
 * @example
 * ```ts
 * const steps: PipelineOptions = { totalTimeoutMs: 5000, retry: createRetryPolicy(), breaker, attemptTimeoutMs: 1000 };
 * ```
 */
export interface PipelineOptions {
  /** Runs first, once per call (not per retry). */
  readonly rateLimit?: RateLimitStep;
  /** Time for the whole call, retries and waits included. */
  readonly totalTimeoutMs?: number;
  /** Usually {@link createRetryPolicy}. */
  readonly retry?: Policy;
  /** Usually a {@link CircuitBreaker} without a fallback. */
  readonly breaker?: Policy;
  /** Time for each attempt. */
  readonly attemptTimeoutMs?: number;
  /** Clock for the timeouts. @default systemClock */
  readonly clock?: Clock;
}

/**
 * Nests policies, the first outermost: `createWrapPolicy(a, b).execute(op)` runs `a`, which runs `b`, which
 * runs `op`. Each receives the signal and deadline handed down by the one outside it.
 *
 * @example
 * ```ts
 * import { createWrapPolicy, createTimeoutPolicy, createRetryPolicy } from '@carequeue/resilience';
 *
 * const policy = createWrapPolicy(createRetryPolicy(), createTimeoutPolicy(1000));
 * await policy.execute(({ signal }) => fetch(url, { signal }));
 * ```
 */
export function createWrapPolicy(...policies: readonly Policy[]): Policy {
  return policies.reduceRight<Policy>(
    (inner, outer) => ({
      execute: <T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T> =>
        outer.execute(
          (context) =>
            inner.execute(operation, {
              signal: context.signal,
              deadline: context.deadline,
              key: options?.key,
            }),
          options,
        ),
    }),
    {
      execute: <T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T> =>
        operation(contextOf(options)),
    },
  );
}

/**
 * Composes the steps in the standard order: rate limit, total timeout, retry, circuit breaker,
 * attempt timeout. Each attempt thus gets its own timeout, the breaker counts each attempt, and
 * the total timeout bounds retries and their waits.
 *
 * @example
 * ```ts
 * import { createCircuitBreaker, type CircuitBreaker, createPipelinePolicy, createRetryPolicy } from '@carequeue/resilience';
 *
 * const twilio = createPipelinePolicy({
 *   totalTimeoutMs: 10_000,
 *   retry: createRetryPolicy({ maxRetries: 3, baseDelayMs: 200 }),
 *   breaker: createCircuitBreaker({ name: 'twilio', timeoutMs: false }),
 *   attemptTimeoutMs: 3000,
 * });
 * await twilio.execute(({ signal }) => client.messages.create(message, { signal }));
 * ```
 */
export function createPipelinePolicy(options: PipelineOptions): Policy {
  optionsObject('pipeline options', options);
  const clockOption = options.clock === undefined ? {} : { clock: options.clock };
  const steps: Policy[] = [];
  const { rateLimit } = options;
  if (rateLimit !== undefined) {
    steps.push({
      async execute<T>(operation: Operation<T>, call?: ExecuteOptions): Promise<T> {
        await rateLimit.acquire({ key: call?.key, signal: call?.signal });
        return operation(contextOf(call));
      },
    });
  }
  if (options.totalTimeoutMs !== undefined) {
    const ms = timerDurationMs('pipeline options.totalTimeoutMs', options.totalTimeoutMs);
    steps.push(createTimeoutPolicy(ms, { name: 'pipeline', ...clockOption }));
  }
  if (options.retry !== undefined) steps.push(options.retry);
  if (options.breaker !== undefined) steps.push(options.breaker);
  if (options.attemptTimeoutMs !== undefined) {
    const ms = timerDurationMs('pipeline options.attemptTimeoutMs', options.attemptTimeoutMs);
    steps.push(createTimeoutPolicy(ms, { name: 'pipeline attempt', ...clockOption }));
  }
  return createWrapPolicy(...steps);
}
