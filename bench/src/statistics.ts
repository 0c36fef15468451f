import type { Better } from './case-definition.js';

function sortedCopy(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('Cannot summarise an empty sample set.');
  return [...samples].sort((a, b) => a - b);
}

/**
 * The median of a sample set (the mean of the two middle values when the count is even).
 *
 * @throws RangeError when `samples` is empty.
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 2.5
 * ```
 */
export function median(samples: readonly number[]): number {
  const sorted = sortedCopy(samples);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * The nearest-rank percentile of a sample set: the smallest sample that at least `p` percent
 * of the samples are less than or equal to.
 *
 * @throws RangeError when `samples` is empty or `p` is outside 0..100.
 * @example
 * ```ts
 * percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90); // 9
 * ```
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`Percentile must be within 0..100 (got ${p}).`);
  const sorted = sortedCopy(samples);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/**
 * The p99 tail of a sample set in the bad direction: the 99th percentile when lower is better
 * (times), the 1st percentile when higher is better (throughputs), so the tail always means
 * "1% of rounds were worse than this".
 *
 * @example
 * ```ts
 * tailP99(latenciesNs, 'lower'); // the slow end
 * tailP99(opsPerSecond, 'higher'); // the slow end
 * ```
 */
export function tailP99(samples: readonly number[], better: Better): number {
  return percentile(samples, better === 'lower' ? 99 : 1);
}

/**
 * Rounds a figure to a number of significant digits, for results that read well and diff well.
 *
 * @example
 * ```ts
 * roundSignificant(1234.5678, 4); // 1235
 * roundSignificant(0.0123456, 3); // 0.0123
 * ```
 */
export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}
