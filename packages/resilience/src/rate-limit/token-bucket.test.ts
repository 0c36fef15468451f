import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenBucketLimit } from './rate-limit-store.js';
import { decideTokenBuckets, refilledTokens, type TokenBucketState } from './token-bucket.js';

describe('decideTokenBuckets', () => {
  it('never admits more than capacity plus refill when requests arrive at any times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 5 })), {
          maxLength: 200,
        }),
        (capacity, refillMs, steps) => {
          const limit: TokenBucketLimit = { key: 'k', capacity, refillMs };
          let state: TokenBucketState | undefined;
          let now = 0;
          let admitted = 0;
          for (const [gap, cost] of steps) {
            now += gap;
            const { result, next } = decideTokenBuckets([limit], [state], cost, now);
            if (result.allowed) {
              admitted += cost;
              state = next?.[0];
            }
          }
          expect(admitted).toBeLessThanOrEqual(capacity + (now * capacity) / refillMs + 1e-9);
        },
      ),
    );
  });

  it('spends from every bucket when all of them hold enough tokens', () => {
    const limits = [
      { key: 'u', capacity: 5, refillMs: 1000 },
      { key: 'e', capacity: 3, refillMs: 1000 },
    ];
    const { result, next } = decideTokenBuckets(limits, [undefined, undefined], 2, 0);
    expect(result).toEqual({
      allowed: true,
      remaining: 1,
      limit: 3,
      resetMs: 667,
      retryAfterMs: 0,
    });
    expect(next).toEqual([
      { tokens: 3, updatedAt: 0 },
      { tokens: 1, updatedAt: 0 },
    ]);
  });
});

describe('refilledTokens', () => {
  it('adds nothing when the time is before the last update', () => {
    const limit = { key: 'k', capacity: 10, refillMs: 1000 };
    expect(refilledTokens(limit, { tokens: 2, updatedAt: 500 }, 100)).toBe(2);
  });
});
