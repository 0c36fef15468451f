/** One operation under test; it may return a promise, which is then awaited. */
export type Operation = () => unknown;

/** How a latency round is sliced into timed batches. */
export interface LatencyRoundOptions {
  /** Operations per timed batch, so that timer resolution does not dominate fast operations. */
  readonly opsPerBatch: number;
  /** Timed batches per round; each batch yields one sample. */
  readonly batchesPerRound: number;
  /** Nanoseconds per unit of the reported figure (1 for ns/op, 1e6 for ms). */
  readonly nanosecondsPerUnit: number;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function timeSyncBatch(operation: Operation, count: number): number {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) operation();
  return performance.now() - started;
}

async function timeAsyncBatch(operation: Operation, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 1) await operation();
  return performance.now() - started;
}

/**
 * Times one latency round: `batchesPerRound` batches of `opsPerBatch` calls, returning the mean
 * time per operation of each batch in the requested unit.
 *
 * One untimed probe call decides whether the operation is awaited, so synchronous operations
 * are not charged for a microtask per call.
 *
 * @example
 * ```ts
 * const samples = await measureLatencyRound(() => JSON.parse('{}'), {
 *   opsPerBatch: 10_000,
 *   batchesPerRound: 10,
 *   nanosecondsPerUnit: 1,
 * }); // ten ns/op figures
 * ```
 */
export async function measureLatencyRound(
  operation: Operation,
  options: LatencyRoundOptions,
): Promise<number[]> {
  const probe = operation();
  const asynchronous = isPromiseLike(probe);
  if (asynchronous) await probe;
  const samples: number[] = [];
  for (let batch = 0; batch < options.batchesPerRound; batch += 1) {
    const elapsedMs = asynchronous
      ? await timeAsyncBatch(operation, options.opsPerBatch)
      : timeSyncBatch(operation, options.opsPerBatch);
    samples.push((elapsedMs * 1e6) / options.opsPerBatch / options.nanosecondsPerUnit);
  }
  return samples;
}
