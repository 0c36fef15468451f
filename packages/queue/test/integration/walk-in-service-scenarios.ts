import {
  AppointmentId,
  ClinicId,
  createFakeClock,
  PatientId,
  QueueId,
  type QueueEntryId,
  TenantId,
  UserId,
  uuidv7,
  type Actor,
} from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, expect, it } from 'vitest';
import { AlreadyQueuedError, type QueueEvent } from '../../src/index.js';
import { auditedActions, staffActor } from './service-fixtures.js';
import { seedTwoTenants, type SeededTenant } from './tenant-fixture.js';
import { sqlQueueService } from './walk-in-fixtures.js';

async function bookedAppointment(executor: SqlExecutor, t: SeededTenant): Promise<AppointmentId> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      "SELECT id FROM queue.appointments WHERE tenant_id = $1 AND clinic_id = $2 AND status = 'booked'",
      [t.tenantId, t.clinicOne],
    );
    return AppointmentId.parse(rows[0]?.id);
  });
}

let extraAppointments = 0;

/** A new booked appointment of the seeded patient at clinic one, a day after the last one. */
async function newBookedAppointment(
  executor: SqlExecutor,
  t: SeededTenant,
): Promise<AppointmentId> {
  extraAppointments += 1;
  const id = AppointmentId.parse(uuidv7());
  await asServiceRole(executor, (tx) =>
    tx.query(
      `INSERT INTO queue.appointments (id, tenant_id, clinic_id, patient_id, staff_id, service_type_id,
         status, starts_at, ends_at, created_at, updated_at, version)
       SELECT $3, tenant_id, clinic_id, patient_id, staff_id, service_type_id, 'booked',
         starts_at + make_interval(days => $4), ends_at + make_interval(days => $4), created_at,
         updated_at, 0
       FROM queue.appointments WHERE tenant_id = $1 AND clinic_id = $2 ORDER BY starts_at LIMIT 1`,
      [t.tenantId, t.clinicOne, id, extraAppointments],
    ),
  );
  return id;
}

async function appointmentStatus(executor: SqlExecutor, id: AppointmentId): Promise<unknown> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ status: string; version: number }>(
      'SELECT status, version FROM queue.appointments WHERE id = $1',
      [id],
    );
    return rows[0];
  });
}

async function count(executor: SqlExecutor, sql: string, params: unknown[]): Promise<number> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ n: unknown }>(sql, params);
    return Number(rows[0]?.n);
  });
}

/** QueueService over SQL storage: appointments, audit and events in one transaction, RLS. */
export function walkInServiceScenarios(executor: () => SqlExecutor): void {
  let t: SeededTenant;
  let desk: Actor;

  beforeAll(async () => {
    ({ a: t } = await seedTwoTenants(executor()));
    desk = staffActor(TenantId.parse(t.tenantId), ['receptionist'], [ClinicId.parse(t.clinicOne)]);
  });

  it('checks a booked appointment in, marks it arrived and audits each change in the transaction', async () => {
    const service = sqlQueueService(executor());
    const appointmentId = await bookedAppointment(executor(), t);
    const queueId = QueueId.parse(uuidv7());
    const entry = await service.checkInAppointment(desk, { queueId, appointmentId });
    expect(entry).toMatchObject({ source: 'appointment', status: 'waiting', position: 1 });
    const status = await asServiceRole(executor(), async (tx) => {
      const { rows } = await tx.query<{ status: string }>(
        'SELECT status FROM queue.appointments WHERE id = $1',
        [appointmentId],
      );
      return rows[0]?.status;
    });
    expect(status).toBe('arrived');
    await expect(service.checkInAppointment(desk, { queueId, appointmentId })).rejects.toThrow(
      AlreadyQueuedError,
    );
    const called = await service.callNext(desk, { clinicId: ClinicId.parse(t.clinicOne), queueId });
    expect(called?.id).toBe(entry.id);
    await service.startService(desk, entry.id);
    await service.complete(desk, entry.id);
    expect(await auditedActions(executor(), entry.id)).toEqual([
      'QueueEntry:queue.checked_in',
      'QueueEntry:queue.called',
      'QueueEntry:queue.service_started',
      'QueueEntry:queue.completed',
    ]);
  });

  it('lets the event sink write in the transaction and rolls everything back when it fails', async () => {
    const seen: number[] = [];
    let fail = false;
    const service = sqlQueueService(executor(), {
      eventSink: {
        async write(events: readonly QueueEvent[], { executor: tx }) {
          const { rows } = await (tx as SqlExecutor).query<{ n: unknown }>(
            'SELECT count(*) AS n FROM queue.queue_events WHERE entry_id = $1',
            [events[0]?.entryId],
          );
          seen.push(Number(rows[0]?.n));
          if (fail) throw new Error('outbox unavailable');
        },
      },
    });
    const line = { clinicId: ClinicId.parse(t.clinicOne), queueId: QueueId.parse(uuidv7()) };
    const entry = await service.checkInWalkIn(desk, line);
    expect(seen).toEqual([1]);
    fail = true;
    await expect(service.leave(desk, entry.id)).rejects.toThrow('outbox unavailable');
    expect((await service.get(desk, entry.id)).status).toBe('waiting');
    expect(
      await count(executor(), 'SELECT count(*) AS n FROM queue.queue_events WHERE entry_id = $1', [
        entry.id,
      ]),
    ).toBe(1);
    const changes = (await auditedActions(executor(), entry.id)).filter((action) =>
      action.startsWith('QueueEntry:queue.'),
    );
    expect(changes).toEqual(['QueueEntry:queue.checked_in']);
  });

  it('marks the appointment of a no-show entry a no-show in the same transaction, and keeps it arrived when the patient leaves', async () => {
    const service = sqlQueueService(executor(), { maxRecalls: 0 });
    const line = { clinicId: ClinicId.parse(t.clinicOne), queueId: QueueId.parse(uuidv7()) };
    const missed = await newBookedAppointment(executor(), t);
    const recalled = await newBookedAppointment(executor(), t);
    const leaving = await newBookedAppointment(executor(), t);
    const first = await service.checkInAppointment(desk, {
      queueId: line.queueId,
      appointmentId: missed,
    });
    await service.checkInAppointment(desk, { queueId: line.queueId, appointmentId: recalled });
    const gone = await service.checkInAppointment(desk, {
      queueId: line.queueId,
      appointmentId: leaving,
    });
    await service.leave(desk, gone.id);
    expect((await service.callNext(desk, line))?.id).toBe(first.id);
    await service.markNoShow(desk, first.id);
    const second = await service.callNext(desk, line);
    expect((await service.recall(desk, second?.id as QueueEntryId)).status).toBe('no_show');
    expect(await appointmentStatus(executor(), missed)).toEqual({ status: 'noshow', version: 2 });
    expect(await appointmentStatus(executor(), recalled)).toEqual({ status: 'noshow', version: 2 });
    expect(await appointmentStatus(executor(), leaving)).toEqual({ status: 'arrived', version: 1 });
    for (const appointmentId of [missed, recalled]) {
      expect(await auditedActions(executor(), appointmentId)).toEqual([
        'Appointment:queue.appointment_no_show',
      ]);
    }
  });

  it('keeps the first call time through a recall, so analytics measure the wait until it', async () => {
    // An hour no other scenario checks in at, so the analytics cover this entry alone.
    const clock = createFakeClock(Date.UTC(2026, 2, 3, 7));
    const service = sqlQueueService(executor(), { clock });
    const line = { clinicId: ClinicId.parse(t.clinicOne), queueId: QueueId.parse(uuidv7()) };
    const entry = await service.checkInWalkIn(desk, line);
    await clock.advance(10 * 60_000);
    await service.callNext(desk, line);
    await service.recall(desk, entry.id);
    await clock.advance(10 * 60_000);
    expect(await service.callNext(desk, line)).toMatchObject({
      id: entry.id,
      firstCalledAt: '2026-03-03T07:10:00.000Z',
      calledAt: '2026-03-03T07:20:00.000Z',
    });
    const admin = staffActor(TenantId.parse(t.tenantId));
    const analytics = await service.analytics(admin, {
      clinicId: line.clinicId,
      from: '2026-03-03T06:59:00.000Z',
      to: '2026-03-03T07:01:00.000Z',
    });
    expect(analytics).toMatchObject({ called: 1, averageWaitMs: 10 * 60_000 });
  });

  it('gives a patient their true position and estimate although they see only their own entry', async () => {
    const service = sqlQueueService(executor());
    const line = { clinicId: ClinicId.parse(t.clinicOne), queueId: QueueId.parse(uuidv7()) };
    await service.checkInWalkIn(desk, line);
    await service.checkInWalkIn(desk, line);
    const own = await service.checkInWalkIn(desk, {
      ...line,
      patientId: PatientId.parse(t.patientOne),
    });
    const patient: Actor = {
      userId: UserId.parse(uuidv7()),
      tenantId: TenantId.parse(t.tenantId),
      roles: ['patient'],
      aal: 'aal1',
      patientId: PatientId.parse(t.patientOne),
    };
    expect((await service.get(patient, own.id)).position).toBe(3);
    const estimate = await service.estimateWait(patient, own.id);
    expect(estimate.position).toBe(3);
    expect(estimate.p50Ms).toBeGreaterThan(0);
  });

  it('lets a worker with the service role sweep overdue calls past row-level security', async () => {
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
    const service = sqlQueueService(executor(), { clock, noShowTimeoutMs: 60_000 });
    const line = { clinicId: ClinicId.parse(t.clinicOne), queueId: QueueId.parse(uuidv7()) };
    const entry = await service.checkInWalkIn(desk, line);
    await service.callNext(desk, line);
    await clock.advance(120_000);
    const worker: Actor = {
      userId: UserId.parse(uuidv7()),
      tenantId: TenantId.parse(t.tenantId),
      roles: ['service'],
      aal: 'aal1',
    };
    expect(await service.sweepNoShows(worker, line)).toBe(1);
    expect((await service.get(desk, entry.id)).status).toBe('no_show');
  });

  it('hides the line of another clinic from a receptionist through row-level security too', async () => {
    const service = sqlQueueService(executor());
    const admin = staffActor(TenantId.parse(t.tenantId));
    const line = { clinicId: ClinicId.parse(t.clinicTwo), queueId: QueueId.parse(uuidv7()) };
    const entry = await service.checkInWalkIn(admin, line);
    const summary = await service.summary(admin, line.clinicId, line.queueId);
    expect(summary.waiting).toBe(1);
    const swept = await service.sweepNoShows(
      { ...staffActor(TenantId.parse(t.tenantId), ['receptionist'], [line.clinicId]) },
      line,
    );
    expect(swept).toBe(0);
    await expect(service.get(desk, entry.id)).rejects.toThrow();
  });
}
