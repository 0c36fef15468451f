import { describe, expect, it } from 'vitest';
import { DatabaseError, TransactionConflictError } from './errors.js';
import { retryTransactionConflicts } from './transaction-retry.js';

function failingTimes(
  failures: number,
  error: () => Error,
): { run: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    run: () => {
      calls += 1;
      return calls <= failures ? Promise.reject(error()) : Promise.resolve(`run ${calls}`);
    },
    calls: () => calls,
  };
}

describe('retryTransactionConflicts', () => {
  it('runs the transaction again after a deadlock or serialization failure', async () => {
    const transaction = failingTimes(2, () => new TransactionConflictError());
    await expect(retryTransactionConflicts(transaction.run)).resolves.toBe('run 3');
    expect(transaction.calls()).toBe(3);
  });

  it('throws any other error at once', async () => {
    const transaction = failingTimes(1, () => new DatabaseError('XX000'));
    await expect(retryTransactionConflicts(transaction.run)).rejects.toBeInstanceOf(DatabaseError);
    expect(transaction.calls()).toBe(1);
  });

  it('throws the last conflict once the attempts are spent', async () => {
    const transaction = failingTimes(10, () => new TransactionConflictError());
    await expect(
      retryTransactionConflicts(transaction.run, { attempts: 3 }),
    ).rejects.toBeInstanceOf(TransactionConflictError);
    expect(transaction.calls()).toBe(3);
  });

  it('refuses an attempt count that is not a whole number of at least 1', async () => {
    await expect(
      retryTransactionConflicts(() => Promise.resolve(1), { attempts: 0 }),
    ).rejects.toThrow(/at least 1/);
  });
});
