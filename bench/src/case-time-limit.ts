const DEFAULT_MS = 15 * 60_000;
// setTimeout fires at once for longer delays, which would kill every worker on start.
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * How long a case worker may run before it is killed and its case reported failed, from the
 * value of `CAREQUEUE_BENCH_CASE_TIMEOUT_MS`: 15 minutes when unset, far above the longest case,
 * so that only a hung case hits it.
 *
 * @throws Error when the value is not a whole number of milliseconds from 1 to 2^31 - 1.
 * @example
 * ```ts
 * caseTimeLimitMs(process.env.CAREQUEUE_BENCH_CASE_TIMEOUT_MS); // 900000 when unset
 * caseTimeLimitMs('60000'); // 60000
 * ```
 */
export function caseTimeLimitMs(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MS;
  const milliseconds = Number(value);
  if (!Number.isInteger(milliseconds) || milliseconds < 1 || milliseconds > LONGEST_TIMER_MS) {
    throw new Error(
      `CAREQUEUE_BENCH_CASE_TIMEOUT_MS must be a whole number of milliseconds from 1 to ` +
        `${LONGEST_TIMER_MS} (got ${value}).`,
    );
  }
  return milliseconds;
}
