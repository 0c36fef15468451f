import { TenantId, UserId, uuidv7, type Actor } from '@carequeue/core';
import { TransactionConflictError, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { sqlBookingUnitOfWork } from './booking-unit-of-work.js';

const desk: Actor = {
  userId: UserId.parse(uuidv7()),
  tenantId: TenantId.parse(uuidv7()),
  roles: ['receptionist'],
  aal: 'aal2',
};

/** An executor whose first `failures` transactions are aborted as if Postgres chose them as deadlock victims. */
function executorLosingRaces(failures: number): SqlExecutor & { transactions: () => number } {
  let transactions = 0;
  const executor: SqlExecutor & { transactions: () => number } = {
    query: () => Promise.resolve({ rows: [], rowCount: 0 }),
    exec: () => Promise.resolve(),
    queryBeforeCommit: () => Promise.resolve(),
    async transaction(fn) {
      transactions += 1;
      const result = await fn(executor);
      if (transactions <= failures) throw new TransactionConflictError();
      return result;
    },
    queryCount: () => 0,
    transactions: () => transactions,
  };
  return executor;
}

describe('sqlBookingUnitOfWork', () => {
  it('runs a unit again when Postgres aborts it as a deadlock or serialization failure', async () => {
    const executor = executorLosingRaces(2);
    const unitOfWork = sqlBookingUnitOfWork({ executor });
    let runs = 0;
    await expect(
      unitOfWork.run(desk, () => {
        runs += 1;
        return Promise.resolve(`run ${runs}`);
      }),
    ).resolves.toBe('run 3');
    expect(executor.transactions()).toBe(3);
  });

  it('gives up with the conflict after the configured number of runs', async () => {
    const executor = executorLosingRaces(10);
    const unitOfWork = sqlBookingUnitOfWork({ executor, conflictAttempts: 2 });
    await expect(unitOfWork.run(desk, () => Promise.resolve('never'))).rejects.toBeInstanceOf(
      TransactionConflictError,
    );
    expect(executor.transactions()).toBe(2);
  });

  it('hands each unit the wrapped appointment repository', async () => {
    const executor = executorLosingRaces(0);
    const wrapped: unknown[] = [];
    const unitOfWork = sqlBookingUnitOfWork({
      executor,
      appointments: (_tx, appointments) => {
        wrapped.push(appointments);
        return appointments;
      },
    });
    const seen = await unitOfWork.run(desk, (scope) => Promise.resolve(scope.appointments));
    expect(wrapped).toEqual([seen]);
  });
});
