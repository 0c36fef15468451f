import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it('draws uniformly below a ceiling that doubles per retry up to the cap (full jitter)', () => {
    const options = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelayMs(n, options, () => 0.999))).toEqual([
      99, 199, 399, 799, 999,
    ]);
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
  });

  it('refuses bad arguments with ValidationError and keeps a wild random source within the ceiling', () => {
    expect(() => backoffDelayMs(-1)).toThrow(ValidationError);
    expect(() => backoffDelayMs(Number.NaN)).toThrow(ValidationError);
    expect(() => backoffDelayMs(0, null as unknown as object)).toThrow(ValidationError);
    expect(() => backoffDelayMs(0, { baseDelayMs: 0 })).toThrow(/An argument is invalid/);
    expect(() => backoffDelayMs(0, { maxDelayMs: Number.POSITIVE_INFINITY })).toThrow(
      ValidationError,
    );
    expect(() => backoffDelayMs(0, {}, 1 as unknown as () => number)).toThrow(ValidationError);
    expect(backoffDelayMs(0, { baseDelayMs: 100 }, () => 7)).toBe(99);
    expect(backoffDelayMs(0, { baseDelayMs: 100 }, () => Number.NaN)).toBe(0);
  });

  it('defaults to a 250 ms base and Math.random', () => {
    const delay = backoffDelayMs(0);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThan(250);
  });
});
