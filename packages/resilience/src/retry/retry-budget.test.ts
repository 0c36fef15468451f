import { createFakeClock } from '@carequeue/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.js';
import { ResilienceConfigError } from '../errors.js';

describe('RetryBudget', () => {
  it('allows the minimum plus the ratio of calls when calls are recorded', () => {
    const budget = createRetryBudget({
      clock: createFakeClock(),
      ratio: 0.5,
      minRetriesPerWindow: 1,
    });
    for (let i = 0; i < 4; i += 1) budget.recordCall();
    const granted = Array.from({ length: 5 }, () => budget.tryAcquireRetry()).filter(Boolean);
    expect(granted).toHaveLength(3);
  });

  it('refills when the window slides past old retries', async () => {
    const clock = createFakeClock();
    const budget = createRetryBudget({ clock, ratio: 0, minRetriesPerWindow: 1, windowMs: 1_000 });
    expect(budget.tryAcquireRetry()).toBe(true);
    expect(budget.tryAcquireRetry()).toBe(false);
    await clock.advance(1_000);
    expect(budget.tryAcquireRetry()).toBe(true);
  });

  it('never grants more than min + ratio x calls in one window for any sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 500 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(20),
        (operations, ratio, min) => {
          const budget = createRetryBudget({
            clock: createFakeClock(),
            ratio,
            minRetriesPerWindow: min,
          });
          let calls = 0;
          let granted = 0;
          for (const isCall of operations) {
            if (isCall) {
              budget.recordCall();
              calls += 1;
            } else if (budget.tryAcquireRetry()) granted += 1;
          }
          expect(granted).toBeLessThanOrEqual(min + ratio * calls);
        },
      ),
    );
  });

  it('rejects invalid options when constructed', () => {
    expect(() => createRetryBudget({ ratio: -1 })).toThrow(ResilienceConfigError);
    expect(() => createRetryBudget({ windowMs: 0 })).toThrow(ResilienceConfigError);
  });
});
