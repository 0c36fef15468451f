import { TransactionConflictError } from './errors.js';

/** Options of {@link retryTransactionConflicts}. */
export interface TransactionRetryOptions {
  /** How many times the transaction runs at most, the first run included. @default 5 */
  readonly attempts?: number;
}

/**
 * Runs a whole transaction again when it lost a race to another one: a deadlock (40P01) or a
 * serialization failure (40001), both of which Postgres resolves by aborting one side. Any other
 * error, and the last conflict once `attempts` runs are spent, is thrown unchanged.
 *
 * Concurrent inserts that an exclusion constraint checks against each other can deadlock: each
 * inserts its row, then waits for the other to end before deciding. After the retry the survivor
 * has committed, so the retried insert meets it as an ordinary conflict (23P01).
 *
 * `transaction` must start a fresh transaction on each call and keep no effects outside it.
 *
 * @throws the error of the last run when it is not a {@link TransactionConflictError} or the
 *   attempts are spent.
 * @example
 * ```ts
 * const appointment = await retryTransactionConflicts(() =>
 *   withClaims(sql, claims, (tx) => insertAppointment(tx, request)),
 * );
 * ```
 */
export async function retryTransactionConflicts<T>(
  transaction: () => Promise<T>,
  options: TransactionRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be a whole number of at least 1 (got ${attempts}).`);
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!(error instanceof TransactionConflictError) || attempt >= attempts) throw error;
    }
  }
}
