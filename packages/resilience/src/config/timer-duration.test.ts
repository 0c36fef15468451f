import { describe, expect, it } from 'vitest';
import { ResilienceConfigError } from '../errors.js';
import { MAX_TIMER_MS, timerDurationMs } from './timer-duration.js';

describe('timerDurationMs', () => {
  it('returns durations from just above 0 up to 2^31-1 ms when they fit a timer', () => {
    expect(MAX_TIMER_MS).toBe(2 ** 31 - 1);
    for (const ms of [0.5, 1, 30_000, MAX_TIMER_MS]) expect(timerDurationMs('x', ms)).toBe(ms);
  });

  it('refuses Infinity, values above 2^31-1, NaN, negatives, 0 and non-numbers when a timer would misfire', () => {
    for (const ms of [Number.POSITIVE_INFINITY, MAX_TIMER_MS + 1, Number.NaN, -1, 0, '10', null]) {
      expect(() => timerDurationMs('timeout ms', ms)).toThrow(ResilienceConfigError);
    }
  });

  it('accepts 0 when allowZero is set, and still refuses negatives and Infinity', () => {
    expect(timerDurationMs('x', 0, true)).toBe(0);
    expect(() => timerDurationMs('x', -1, true)).toThrow(ResilienceConfigError);
    expect(() => timerDurationMs('x', Number.POSITIVE_INFINITY, true)).toThrow(
      ResilienceConfigError,
    );
  });

  it('names the option and the range without echoing the value when it refuses', () => {
    expect(() => timerDurationMs('CircuitBreaker options.timeoutMs', 987_654_321_012)).toThrow(
      /^Invalid resilience configuration: CircuitBreaker options\.timeoutMs must be a number of milliseconds greater than 0 and at most 2147483647 \(the longest delay a timer can hold\)\.$/,
    );
  });
});
