import { createAuditSealTask } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { sampleAuditEvent } from '@carequeue/audit/testing';
import { createFakeClock } from '@carequeue/core';
import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { createJobScheduler } from '../../src/jobs/postgres/job-scheduler.js';
import { MAINTENANCE_JOBS } from '../../src/jobs/maintenance-jobs.js';
import { seedTwoTenants } from './tenant-fixture.js';

const postgres = await requirePostgres();

// On Postgres because a task works through its own connections while the job's transaction is
// open, which a single PGlite connection cannot serve.
describe.skipIf(!postgres.available)('maintenance tasks on the job scheduler (Postgres)', () => {
  const db = useTestDatabase({ poolSize: 4 });

  it("seals a tenant's audit chain when its audit.seal job is due, through the audit package's seal task", async () => {
    const sql = createPgExecutor({ pool: db.pool });
    const { a, b } = await seedTwoTenants(sql);
    const store = postgresAuditStore({ executor: sql });
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
    const eventsOf = (tenantId: string) =>
      Array.from({ length: 5 }, (_, index) =>
        sampleAuditEvent({ tenantId, timestamp: new Date(Date.UTC(2026, 2, 2, 8, 0, index)) }),
      );
    const otherEvents = eventsOf(b.tenantId);
    await store.append([...eventsOf(a.tenantId), ...otherEvents]);
    const before = (await store.head(a.tenantId)).sequence;
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {},
      tasks: { [MAINTENANCE_JOBS.auditSeal]: createAuditSealTask({ store, batchSize: 2 }) },
      clock,
    });
    await asServiceRole(sql, (tx) =>
      scheduler.schedule(tx, {
        tenantId: a.tenantId,
        kind: MAINTENANCE_JOBS.auditSeal,
        uniqueKey: 'audit.seal:2026-03-02T09:00',
        runAt: clock.now(),
      }),
    );

    expect(await scheduler.runDue()).toEqual({ succeeded: 1, retried: 0, dead: 0 });

    const { rows } = await sql.query<{ unsealed: number }>(
      `SELECT count(*)::int AS unsealed FROM audit.events e
       WHERE e.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM audit.chain c WHERE c.event_id = e.id)`,
      [a.tenantId],
    );
    expect(rows[0]?.unsealed).toBe(0);
    expect((await store.head(a.tenantId)).sequence).toBeGreaterThanOrEqual(before + 5);
    expect(await store.verify(a.tenantId)).toMatchObject({ ok: true });
    // Only the job's tenant: the other tenant's new events are still unsealed.
    const other = await store.query({ tenantId: b.tenantId, limit: 1000 });
    const otherIds = new Set(otherEvents.map((event) => event.id));
    expect(other.items.filter((log) => otherIds.has(log.id)).map((log) => log.sequence)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('retries the job when the task fails, and completes it once the task succeeds', async () => {
    const sql = createPgExecutor({ pool: db.pool });
    const { a } = await seedTwoTenants(sql);
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
    const runs: string[] = [];
    let failing = true;
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {},
      tasks: {
        'maintenance.refresh': {
          run: (tenantId) => {
            runs.push(tenantId);
            return failing ? Promise.reject(new Error('not yet')) : Promise.resolve();
          },
        },
      },
      clock,
      random: () => 0.5,
    });
    await asServiceRole(sql, (tx) =>
      scheduler.schedule(tx, {
        tenantId: a.tenantId,
        kind: 'maintenance.refresh',
        uniqueKey: 'maintenance.refresh:1',
        runAt: clock.now(),
      }),
    );

    expect(await scheduler.runDue()).toEqual({ succeeded: 0, retried: 1, dead: 0 });
    failing = false;
    await clock.advance(600_000);
    expect(await scheduler.runDue()).toEqual({ succeeded: 1, retried: 0, dead: 0 });
    expect(runs).toEqual([a.tenantId, a.tenantId]);
  });
});
