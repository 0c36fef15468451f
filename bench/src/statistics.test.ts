import { describe, expect, it } from 'vitest';
import { median, percentile, roundSignificant, tailP99 } from './statistics.js';

describe('median', () => {
  it('returns the middle value when the count is odd', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('returns the mean of the two middle values when the count is even', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('leaves the input order untouched when it sorts', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('throws when there are no samples', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);

  it('returns the nearest-rank value when asked for p99 of 100 samples', () => {
    expect(percentile(hundred, 99)).toBe(99);
  });

  it('returns the largest sample when there are fewer samples than percent steps', () => {
    expect(percentile([10, 30, 20], 99)).toBe(30);
  });

  it('returns the smallest sample when asked for p0', () => {
    expect(percentile([10, 30, 20], 0)).toBe(10);
  });

  it('throws when p is outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('tailP99', () => {
  const samples = Array.from({ length: 200 }, (_, index) => index + 1);

  it('returns the slow high end when lower is better', () => {
    expect(tailP99(samples, 'lower')).toBe(198);
  });

  it('returns the slow low end when higher is better', () => {
    expect(tailP99(samples, 'higher')).toBe(2);
  });
});

describe('roundSignificant', () => {
  it('keeps the requested number of significant digits when the value is large or small', () => {
    expect(roundSignificant(1234.5678, 4)).toBe(1235);
    expect(roundSignificant(0.0123456, 3)).toBe(0.0123);
  });

  it('returns zero and non-finite values unchanged when given them', () => {
    expect(roundSignificant(0, 3)).toBe(0);
    expect(roundSignificant(Number.POSITIVE_INFINITY, 3)).toBe(Number.POSITIVE_INFINITY);
  });
});
