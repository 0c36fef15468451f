import type { BreakerState } from '../breaker/breaker-state.js';
import { optionsObject } from '../config/options-object.js';
import type { HealthCheck } from './health-registry.js';

/**
 * What {@link breakerHealthCheck} reads from a breaker.
 *
 * @example
 * ```ts
 * const view: BreakerHealthSource = { getState: () => 'closed', hasFallback: false };
 * ```
 */
export interface BreakerHealthSource {
  getState(): BreakerState;
  readonly hasFallback: boolean;
}

/**
 * A health check reporting a breaker's dependency without calling it: `pass` while closed;
 * while open or half-open, `warn` when a fallback answers for it and `fail` otherwise.
 *
 * @throws ResilienceConfigError when `breaker` is not an object.
 * @example
 * ```ts
 * health.register('twilio', breakerHealthCheck(twilioBreaker), { critical: false, cacheMs: 0 });
 * ```
 */
export function breakerHealthCheck(breaker: BreakerHealthSource): HealthCheck {
  // Checked here so a wiring mistake fails at startup, not on the first readiness probe.
  optionsObject('breakerHealthCheck breaker', breaker);
  return () => {
    const state = breaker.getState();
    if (state === 'closed') return { status: 'pass' };
    return {
      status: breaker.hasFallback ? 'warn' : 'fail',
      output: breaker.hasFallback
        ? `The circuit is ${state}; a fallback answers for the dependency.`
        : `The circuit is ${state}; calls to the dependency are rejected.`,
    };
  };
}
