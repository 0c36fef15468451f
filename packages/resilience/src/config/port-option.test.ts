import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../breaker/circuit-breaker.js';
import { ResilienceConfigError } from '../errors.js';
import { createRetryBudget } from '../retry/retry-budget.js';

describe('port options', () => {
  it('CircuitBreaker refuses a clock, meter or state bus without the methods it calls, a non-function isIgnored or fallback, or a non-string name with ResilienceConfigError instead of a raw TypeError', () => {
    for (const options of [
      { clock: {} },
      { clock: 'system' },
      { logger: { info: () => undefined } },
      { meter: 'otel' },
      { stateBus: {} },
      { isIgnored: true },
      { fallback: 'cached' },
      { name: { id: 'twilio' } },
      { instanceId: '' },
    ]) {
      expect(() => createCircuitBreaker(options as never)).toThrow(ResilienceConfigError);
    }
  });

  it('RetryBudget refuses a clock without now with ResilienceConfigError instead of a raw TypeError', () => {
    for (const clock of [{}, 'system', 42]) {
      expect(() => createRetryBudget({ clock: clock as never })).toThrow(
        'RetryBudget options.clock must be an object with now.',
      );
    }
  });
});
