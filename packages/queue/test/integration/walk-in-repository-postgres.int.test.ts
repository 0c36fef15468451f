import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { QueueId, uuidv7 } from '@carequeue/core';
import { requirePostgres, useTestDatabase, waitUntil } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlQueueEntryRepository } from '../../src/postgres/index.js';
import { runQueueEntryRepositoryContract } from '../../src/testing/index.js';
import { seedPatientOf, sqlContractFixtures } from './service-fixtures.js';

const postgres = await requirePostgres();

describe.skipIf(!postgres.available)('SQL queue entry repository on Postgres', () => {
  const db = useTestDatabase();
  const executor = () => createPgExecutor({ pool: db.pool });
  runQueueEntryRepositoryContract(
    { describe, it, expect },
    {
      name: 'Postgres',
      run: (work) =>
        asServiceRole(executor(), (tx) => work(sqlQueueEntryRepository({ executor: tx }))),
      fixtures: sqlContractFixtures(executor),
      patient: (tenantId) => seedPatientOf(executor(), tenantId),
    },
  );

  it('makes a unit that locks the same lines wait until the holder ends, whatever order each lists them in', async () => {
    const fixtures = sqlContractFixtures(executor);
    const tenantId = await fixtures.tenant();
    const clinicId = await fixtures.clinic(tenantId);
    const first = QueueId.parse(uuidv7());
    const second = QueueId.parse(uuidv7());
    const unopened = QueueId.parse(uuidv7());
    const opening = new Date(Date.UTC(2026, 2, 2, 9)).toISOString();
    for (const queueId of [first, second]) {
      await asServiceRole(executor(), (tx) =>
        sqlQueueEntryRepository({ executor: tx }).nextTicket(tenantId, clinicId, queueId, opening),
      );
    }
    const order: string[] = [];
    let releaseHolder: () => void = () => undefined;
    const holderMayEnd = new Promise<void>((resolve) => {
      releaseHolder = resolve;
    });
    let holderLocked: () => void = () => undefined;
    const holderHasLines = new Promise<void>((resolve) => {
      holderLocked = resolve;
    });
    const holder = asServiceRole(executor(), async (tx) => {
      await sqlQueueEntryRepository({ executor: tx }).lockLines(tenantId, [first, second]);
      holderLocked();
      await holderMayEnd;
      order.push('holder ends');
    });
    await holderHasLines;
    const waiter = asServiceRole(executor(), async (tx) => {
      // Reversed, repeated and with a line that was never opened: still one wait, no error.
      await sqlQueueEntryRepository({ executor: tx }).lockLines(tenantId, [
        second,
        unopened,
        first,
        second,
      ]);
      order.push('waiter has the lines');
    });
    try {
      await waitUntil(
        async () => {
          const { rows } = await db.pool.query<{ waiting: number }>(
            `SELECT count(*)::int AS waiting FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'
               AND query LIKE '%FROM queue.queue_lines%FOR UPDATE%'`,
          );
          return rows[0]?.waiting === 1;
        },
        { description: 'the second unit to wait for the line lock' },
      );
      expect(order).toEqual([]);
    } finally {
      // Released even when the check fails, so the holder's transaction never outlives the test.
      releaseHolder();
    }
    await Promise.all([holder, waiter]);
    expect(order).toEqual(['holder ends', 'waiter has the lines']);
  });
});
