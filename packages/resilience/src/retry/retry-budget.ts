import { type Clock, systemClock } from '@carequeue/core';
import { numberOption, positiveNumberOption } from '../config/number-option.js';
import { optionsObject } from '../config/options-object.js';
import { portOption } from '../config/port-option.js';

/**
 * Options of a {@link RetryBudget}.
 *
 * @example
 * ```ts
 * const options: RetryBudgetOptions = { ratio: 0.2, minRetriesPerWindow: 5, windowMs: 60_000 };
 * ```
 */
export interface RetryBudgetOptions {
  /**
   * Retries allowed per call made in the window, on top of the minimum.
   * @default 0.1
   */
  readonly ratio?: number;
  /**
   * Retries always allowed per window, so that a quiet service can still retry.
   * @default 10
   */
  readonly minRetriesPerWindow?: number;
  /**
   * Length of the sliding window.
   * @default 10000
   */
  readonly windowMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

const BUCKETS = 10;

/**
 * Caps retries at a share of calls over a sliding window (10% plus 10 per 10 s by default), so
 * that retries cannot multiply the load on a dependency that is already failing. Share one
 * budget between all the callers of a dependency.
 *
 * Created by {@link createRetryBudget}.
 */
class RetryBudget {
  readonly #ratio: number;
  readonly #minRetries: number;
  readonly #bucketMs: number;
  readonly #clock: Clock;
  readonly #calls = new Array<number>(BUCKETS).fill(0);
  readonly #retries = new Array<number>(BUCKETS).fill(0);
  #bucketStart: number;
  #current = 0;

  constructor(options: RetryBudgetOptions = {}) {
    optionsObject('RetryBudget options', options);
    this.#ratio = numberOption('RetryBudget options.ratio', options.ratio ?? 0.1, 0);
    this.#minRetries = numberOption(
      'RetryBudget options.minRetriesPerWindow',
      options.minRetriesPerWindow ?? 10,
      0,
    );
    // Not a timer, only bucket arithmetic, so any positive finite length works.
    const windowMs = positiveNumberOption(
      'RetryBudget options.windowMs',
      options.windowMs ?? 10_000,
    );
    this.#bucketMs = windowMs / BUCKETS;
    this.#clock = portOption('RetryBudget options.clock', options.clock, ['now']) ?? systemClock;
    this.#bucketStart = this.#clock.now();
  }

  /**
   * Counts one call (not its retries) toward the allowance.
   *
   * @example
   * ```ts
   * budget.recordCall();
   * ```
   */
  recordCall(): void {
    this.#advance();
    this.#calls[this.#current] = (this.#calls[this.#current] as number) + 1;
  }

  /**
   * Takes one retry from the budget; `false` when the budget is spent.
   *
   * @example
   * ```ts
   * if (!budget.tryAcquireRetry()) throw lastError;
   * ```
   */
  tryAcquireRetry(): boolean {
    this.#advance();
    const calls = sum(this.#calls);
    const retries = sum(this.#retries);
    if (retries + 1 > this.#minRetries + this.#ratio * calls) return false;
    this.#retries[this.#current] = (this.#retries[this.#current] as number) + 1;
    return true;
  }

  #advance(): void {
    const elapsed = Math.floor((this.#clock.now() - this.#bucketStart) / this.#bucketMs);
    if (elapsed <= 0) return;
    for (let i = 0; i < Math.min(elapsed, BUCKETS); i += 1) {
      this.#current = (this.#current + 1) % BUCKETS;
      this.#calls[this.#current] = 0;
      this.#retries[this.#current] = 0;
    }
    this.#bucketStart += elapsed * this.#bucketMs;
  }
}

/**
 * Creates a {@link RetryBudget}.
 *
 * @throws ResilienceConfigError when `options` is not an object,
 * `ratio` or `minRetriesPerWindow` is negative or not finite, `windowMs` is not positive, or
 * `clock` has no `now` method.
 * @example
 * ```ts
 * const budget = createRetryBudget({ ratio: 0.1 });
 * await retryWithBackoff(send, { budget });
 * ```
 */
export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  return new RetryBudget(options);
}

export type { RetryBudget };

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
