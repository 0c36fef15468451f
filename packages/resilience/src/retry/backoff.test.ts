import { RateLimitedError } from '@carequeue/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullJitterDelay, retryAfterOf } from './backoff.js';

describe('fullJitterDelay', () => {
  it('stays within [0, min(max, base x 2^attempt)) for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, max, random) => {
          const delay = fullJitterDelay(attempt, base, max, () => random);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(max, base * 2 ** attempt));
        },
      ),
    );
  });
});

describe('retryAfterOf', () => {
  it('reads retryAfterMs when the failure carries a valid one', () => {
    expect(retryAfterOf(new RateLimitedError(1_500))).toBe(1_500);
    expect(retryAfterOf({ retryAfterMs: -1 })).toBeUndefined();
    expect(retryAfterOf('503')).toBeUndefined();
  });
});
