/** An asynchronous operation driven by concurrent callers. */
export type AsyncOperation = () => Promise<unknown>;

/** How long a throughput round runs and how many callers drive it. */
export interface ThroughputRoundOptions {
  /** Callers awaiting the operation in a loop at the same time. */
  readonly concurrency: number;
  /** Stop starting new operations after this long; the round ends when callers finish. */
  readonly durationMs?: number;
  /** Stop after this many operations in total across all callers. */
  readonly operations?: number;
}

/**
 * Runs one throughput round with `concurrency` callers and returns operations per second.
 *
 * The round ends at whichever limit comes first: `durationMs` or `operations`. With neither,
 * it throws, because an unbounded round never finishes.
 *
 * @throws RangeError when neither a duration nor an operation count is given.
 * @example
 * ```ts
 * const opsPerSecond = await measureThroughputRound(() => redis.get('k'), {
 *   concurrency: 50,
 *   durationMs: 2_000,
 * });
 * ```
 */
export async function measureThroughputRound(
  operation: AsyncOperation,
  options: ThroughputRoundOptions,
): Promise<number> {
  const { concurrency, durationMs, operations } = options;
  if (durationMs === undefined && operations === undefined) {
    throw new RangeError('A throughput round needs durationMs or operations.');
  }
  const started = performance.now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : started + durationMs;
  let remaining = operations ?? Number.POSITIVE_INFINITY;
  let completed = 0;
  const caller = async (): Promise<void> => {
    while (remaining > 0 && performance.now() < deadline) {
      remaining -= 1;
      await operation();
      completed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsedSeconds = (performance.now() - started) / 1000;
  return completed / elapsedSeconds;
}
