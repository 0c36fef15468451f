import { optionsObject } from './config/options-object.js';
import { ResilienceConfigError } from './errors.js';
import type { ExecuteOptions, ExecutionContext, Operation } from './execution-context.js';
import { contextOf } from './execution-context.js';

/**
 * Options of {@link createFallbackPolicy}.
 *
 * @example
 * ```ts
 * const options: FallbackOptions = { shouldHandle: (error) => !(error instanceof ValidationError) };
 * ```
 */
export interface FallbackOptions {
  /**
   * Which failures the fallback answers; others reach the caller.
   * @default every failure
   */
  readonly shouldHandle?: (error: unknown) => boolean;
}

/**
 * A policy whose calls resolve to the operation's result or the fallback's.
 *
 * @example
 * ```ts
 * const estimate: number | null = await withDefault.execute(() => ml.estimate(queueId));
 * ```
 */
export interface FallbackPolicy<F> {
  execute<T>(operation: Operation<T>, options?: ExecuteOptions): Promise<T | F>;
}

/**
 * Answers failures with a substitute (a cached value, a default, a degraded result) instead of
 * an error. Put it outermost, around a pipeline.
 *
 * @example
 * ```ts
 * import { createFallbackPolicy } from '@carequeue/resilience';
 *
 * const withEstimate = createFallbackPolicy(() => ({ minutes: averageWait, degraded: true }));
 * const wait = await withEstimate.execute(() => ml.estimate(queueId));
 * ```
 */
export function createFallbackPolicy<F>(
  handler: (error: unknown, context: ExecutionContext) => F | Promise<F>,
  options: FallbackOptions = {},
): FallbackPolicy<F> {
  if (typeof handler !== 'function') {
    throw new ResilienceConfigError('fallback handler must be a function.');
  }
  const shouldHandle = optionsObject('fallback options', options).shouldHandle ?? (() => true);
  return {
    async execute<T>(operation: Operation<T>, call?: ExecuteOptions): Promise<T | F> {
      const context = contextOf(call);
      try {
        return await operation(context);
      } catch (error) {
        if (!shouldHandle(error)) throw error;
        return handler(error, context);
      }
    },
  };
}
