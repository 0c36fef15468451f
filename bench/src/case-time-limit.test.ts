import { describe, expect, it } from 'vitest';
import { caseTimeLimitMs } from './case-time-limit.js';

describe('caseTimeLimitMs', () => {
  it('gives 15 minutes when the variable is unset or empty', () => {
    expect(caseTimeLimitMs(undefined)).toBe(900_000);
    expect(caseTimeLimitMs('')).toBe(900_000);
  });

  it('gives the number of milliseconds when the variable holds one', () => {
    expect(caseTimeLimitMs('60000')).toBe(60_000);
    expect(caseTimeLimitMs('2147483647')).toBe(2_147_483_647);
  });

  it('throws naming the variable when the value is not a usable delay', () => {
    for (const value of ['ten', '1.5', '0', '-5', '2147483648']) {
      expect(() => caseTimeLimitMs(value)).toThrow(
        `CAREQUEUE_BENCH_CASE_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647 (got ${value}).`,
      );
    }
  });
});
