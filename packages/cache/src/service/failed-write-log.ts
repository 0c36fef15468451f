import { isCarequeueError, type Clock, type Logger } from '@carequeue/core';
import type { CountedNamespace } from './key-resolver.js';

// A write, deletion or invalidation the shared tier refused does not fail the call (a cache must
// not fail the request), so this log line and the `l2WriteFailures` counter are its only trace.
// During an outage every write fails: the counter says how many, one line per namespace and
// interval says that it happens and why, without flooding the log. Internal: the package entry
// does not export this module.

/** A shared-tier call that changes what the store holds. */
export type StoreMutation = 'write' | 'remove' | 'bump';

/** Counts and logs the shared-tier writes that failed. */
export type FailedWriteReporter = (
  namespace: CountedNamespace,
  operation: StoreMutation,
  error: unknown,
) => void;

/** The shortest time between two lines about one namespace. */
export const FAILED_WRITE_LOG_INTERVAL_MS = 10_000;

/**
 * Creates the reporter of one cache service. A line names the namespace, the operation and the
 * error code, never the key, the value or the error message (a driver message may quote the
 * command and its arguments), and says how many failures it stayed silent about.
 *
 * @example
 * ```ts
 * const reportFailedWrite = createFailedWriteReporter(clock, logger);
 * reportFailedWrite(resolved, 'write', error);
 * ```
 */
export function createFailedWriteReporter(clock: Clock, logger: Logger): FailedWriteReporter {
  const lastLineByNamespace = new Map<string, { at: number; suppressed: number }>();
  return (namespace, operation, error) => {
    namespace.counters.l2WriteFailures += 1;
    const now = clock.now();
    const last = lastLineByNamespace.get(namespace.namespace);
    if (last !== undefined && now - last.at < FAILED_WRITE_LOG_INTERVAL_MS) {
      last.suppressed += 1;
      return;
    }
    lastLineByNamespace.set(namespace.namespace, { at: now, suppressed: 0 });
    logger.warn(
      {
        namespace: namespace.namespace,
        operation,
        // Anything else thrown is normalised to CacheError's code.
        code: isCarequeueError(error) ? error.code : 'CACHE_FAILED',
        suppressed: last?.suppressed ?? 0,
      },
      'The cache could not write to its shared tier; the call went on without it (`suppressed` failures since the last such line).',
    );
  };
}
