import { createFakeClock } from '@carequeue/core';
import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import type { JobHandler } from '../../src/jobs/ports/job-scheduler.js';
import { createJobScheduler } from '../../src/jobs/postgres/job-scheduler.js';
import { seedTwoTenants } from './tenant-fixture.js';

const postgres = await requirePostgres();
const JOBS = 60;

describe.skipIf(!postgres.available)('job scheduler on Postgres', () => {
  const db = useTestDatabase({ poolSize: 8 });

  it('runs every due job exactly once when three schedulers compete for them', async () => {
    const sql = createPgExecutor({ pool: db.pool });
    const { a: t } = await seedTwoTenants(sql);
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
    const runs = new Map<string, number>();
    const handler: JobHandler = async (job, { tx }) => {
      // A database write in the job's transaction, so a double run would show twice.
      await tx.query('SELECT pg_sleep(0.001)');
      runs.set(job.uniqueKey, (runs.get(job.uniqueKey) ?? 0) + 1);
    };
    const schedulers = [1, 2, 3].map(() =>
      createJobScheduler({ executor: sql, handlers: { work: handler }, clock, batchSize: 5 }),
    );
    await asServiceRole(sql, async (tx) => {
      for (let i = 0; i < JOBS; i += 1) {
        await schedulers[0]?.schedule(tx, {
          tenantId: t.tenantId,
          kind: 'work',
          uniqueKey: `work:${i}`,
          runAt: clock.now(),
        });
      }
    });

    const drain = async (scheduler: (typeof schedulers)[number]): Promise<number> => {
      let total = 0;
      for (;;) {
        const report = await scheduler.runDue();
        if (report.succeeded === 0) return total;
        total += report.succeeded;
      }
    };
    const totals = await Promise.all(schedulers.map(drain));

    expect(totals.reduce((sum, n) => sum + n, 0)).toBe(JOBS);
    expect(runs.size).toBe(JOBS);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    const { rows } = await asServiceRole(sql, (tx) =>
      tx.query<{ n: number }>("SELECT count(*)::int AS n FROM queue.jobs WHERE status = 'done'"),
    );
    expect(rows[0]?.n).toBe(JOBS);
  });
});
