import { ClinicId, QueueId, TenantId, uuidv7, type QueueEntryId } from '@carequeue/core';
import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffActor } from './service-fixtures.js';
import { seedTwoTenants, type SeededTenant } from './tenant-fixture.js';
import { sqlQueueService } from './walk-in-fixtures.js';

const postgres = await requirePostgres();

// PGlite runs one statement at a time on one connection, so two transactions never overlap
// there and cannot deadlock: this race needs a real server.
describe.skipIf(!postgres.available)('QueueService transfers on Postgres', () => {
  const db = useTestDatabase({ poolSize: 10 });
  let t: SeededTenant;

  beforeAll(async () => {
    ({ a: t } = await seedTwoTenants(createPgExecutor({ pool: db.pool })));
  });

  it('lets many transfers go opposite ways between two lines at once without a deadlock', async () => {
    const executor = createPgExecutor({ pool: db.pool });
    const service = sqlQueueService(executor);
    const desk = staffActor(
      TenantId.parse(t.tenantId),
      ['receptionist'],
      [ClinicId.parse(t.clinicOne)],
    );
    const clinicId = ClinicId.parse(t.clinicOne);
    const front = QueueId.parse(uuidv7());
    const lab = QueueId.parse(uuidv7());
    const PAIRS = 8;

    async function inService(queueId: QueueId): Promise<QueueEntryId[]> {
      const ids: QueueEntryId[] = [];
      for (let i = 0; i < PAIRS; i += 1) {
        await service.checkInWalkIn(desk, { clinicId, queueId });
        const called = await service.callNext(desk, { clinicId, queueId });
        if (called === undefined) throw new Error('the line should not be empty');
        await service.startService(desk, called.id);
        ids.push(called.id);
      }
      return ids;
    }
    const fromFront = await inService(front);
    const fromLab = await inService(lab);

    const outcomes = await Promise.allSettled(
      fromFront.flatMap((frontId, i) => [
        service.transfer(desk, frontId, { queueId: lab }),
        service.transfer(desk, fromLab[i] as QueueEntryId, { queueId: front }),
      ]),
    );
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [String(outcome.reason)] : [],
    );
    expect(failures).toEqual([]);

    const counts = await asServiceRole(executor, async (tx) => {
      const { rows } = await tx.query<{ queue_id: string; source: string; n: unknown }>(
        `SELECT queue_id, source, count(*) AS n FROM queue.queue_entries
         WHERE tenant_id = $1 AND queue_id = ANY($2::uuid[]) GROUP BY queue_id, source`,
        [t.tenantId, [front, lab]],
      );
      return Object.fromEntries(
        rows.map((row) => [
          `${row.queue_id === front ? 'front' : 'lab'}:${row.source}`,
          Number(row.n),
        ]),
      );
    });
    expect(counts).toEqual({
      'front:walk-in': PAIRS,
      'front:transfer': PAIRS,
      'lab:walk-in': PAIRS,
      'lab:transfer': PAIRS,
    });
    // Every line's events still carry gap-free versions.
    for (const queueId of [front, lab]) {
      const events = await service.events(desk, { clinicId, queueId }, 0);
      expect(events.map((event) => event.version)).toEqual(
        Array.from({ length: events.length }, (_, i) => i + 1),
      );
      expect(events.filter((event) => event.type === 'transferred')).toHaveLength(PAIRS);
    }
  });
});
