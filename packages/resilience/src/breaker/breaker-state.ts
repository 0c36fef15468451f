/**
 * The state of a circuit breaker.
 *
 * @example
 * ```ts
 * if (breaker.getState() === 'open') useCachedEstimate();
 * ```
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A breaker's state as plain JSON, to store (for example across a serverless cold start) and
 * restore with {@link CircuitBreaker.restore} or the `initialState` option.
 *
 * @example
 * ```ts
 * await kv.set('breaker:twilio', JSON.stringify(breaker.toSnapshot()));
 * ```
 */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  /** Clock time at which an open breaker lets a probe through; absent unless open. */
  readonly openUntil?: number;
  /** Calls and failures counted in the current rolling window. */
  readonly window: { readonly calls: number; readonly failures: number };
}
