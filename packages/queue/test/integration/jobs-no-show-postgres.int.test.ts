import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createFakeClock, uuidv7, type PatientId } from '@carequeue/core';
import { asServiceRole, createPgExecutor, type SqlExecutor } from '@carequeue/core/sql';
import { createIdempotency, createMemoryIdempotencyStore } from '@carequeue/resilience';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { createBookingService } from '../../src/booking/booking-service.js';
import { createJobScheduler } from '../../src/jobs/job-scheduler.js';
import { holdExpiryJob, MAINTENANCE_JOBS, noShowJob } from '../../src/jobs/maintenance-jobs.js';
import { notifyingBookingUnitOfWork } from '../../src/jobs/notifying-booking-unit-of-work.js';
import { patientActor, receptionist, seedBookingWorld } from './booking-fixtures.js';

const postgres = await requirePostgres();

// On Postgres because the sweep runs BookingService's own transaction while the job's
// transaction is open, which needs a second connection (a single PGlite connection cannot).
describe.skipIf(!postgres.available)('no-show job on Postgres', () => {
  const db = useTestDatabase({ poolSize: 4 });
  let sql: SqlExecutor;

  it('marks a booking that nobody checked in as a no-show once its grace period has passed', async () => {
    sql = createPgExecutor({ pool: db.pool });
    const world = await seedBookingWorld(sql, { patients: 1 });
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
    // The scheduler needs the booking service and the service needs the scheduler.
    const late: { booking?: ReturnType<typeof createBookingService> } = {};
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {
        [MAINTENANCE_JOBS.noShow]: noShowJob({
          markNoShows: (_tenantId, clinicId) =>
            (late.booking as ReturnType<typeof createBookingService>).markNoShows(
              receptionist(world),
              clinicId as never,
            ),
        }),
      },
      clock,
    });
    const booking = createBookingService({
      unitOfWork: notifyingBookingUnitOfWork({
        executor: sql,
        scheduler,
        clock,
        noShowGraceMs: 15 * 60_000,
      }),
      audit: createAuditLogService({ store: postgresAuditStore({ executor: sql }), clock }),
      clock,
      idempotency: createIdempotency({ store: createMemoryIdempotencyStore({ clock }), clock }),
    });
    late.booking = booking;
    const visit = await booking.book(patientActor(world, world.patientIds[0] as PatientId), {
      clinicId: world.clinicId,
      staffId: world.staffIds[0] as never,
      serviceTypeId: world.serviceTypeId,
      patientId: world.patientIds[0] as PatientId,
      start: '2026-03-02T09:00:00.000Z',
      idempotencyKey: uuidv7(),
    });

    clock.set(Date.UTC(2026, 2, 2, 9, 14));
    expect((await scheduler.runDue()).succeeded).toBe(0);
    clock.set(Date.UTC(2026, 2, 2, 9, 16));
    expect((await scheduler.runDue()).succeeded).toBe(1);

    const { rows } = await asServiceRole(sql, (tx) =>
      tx.query<{ status: string }>('SELECT status FROM queue.appointments WHERE id = $1', [
        visit.id,
      ]),
    );
    expect(rows[0]?.status).toBe('noshow');
  });

  it('cancels a pending hold at its expiry through the hold-expiry job, with nobody booking the slot', async () => {
    sql = createPgExecutor({ pool: db.pool });
    const world = await seedBookingWorld(sql, { patients: 1 });
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
    const late: { booking?: ReturnType<typeof createBookingService> } = {};
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: {
        [MAINTENANCE_JOBS.holdExpiry]: holdExpiryJob({
          expireLapsedHolds: (_tenantId, clinicId) =>
            (late.booking as ReturnType<typeof createBookingService>).expireLapsedOffers(
              receptionist(world),
              clinicId as never,
            ),
        }),
      },
      clock,
    });
    const booking = createBookingService({
      unitOfWork: notifyingBookingUnitOfWork({
        executor: sql,
        scheduler,
        clock,
        scheduleHoldExpiry: true,
      }),
      audit: createAuditLogService({ store: postgresAuditStore({ executor: sql }), clock }),
      clock,
      idempotency: createIdempotency({ store: createMemoryIdempotencyStore({ clock }), clock }),
      holdMinutes: 10,
    });
    late.booking = booking;
    const hold = await booking.book(patientActor(world, world.patientIds[0] as PatientId), {
      clinicId: world.clinicId,
      staffId: world.staffIds[0] as never,
      serviceTypeId: world.serviceTypeId,
      patientId: world.patientIds[0] as PatientId,
      start: '2026-03-02T09:00:00.000Z',
      idempotencyKey: uuidv7(),
      hold: true,
    });
    const status = async () =>
      (
        await asServiceRole(sql, (tx) =>
          tx.query<{ status: string }>('SELECT status FROM queue.appointments WHERE id = $1', [
            hold.id,
          ]),
        )
      ).rows[0]?.status;
    expect(await status()).toBe('pending');

    clock.set(Date.UTC(2026, 2, 2, 6, 9));
    expect((await scheduler.runDue()).succeeded).toBe(0);
    expect(await status()).toBe('pending');
    clock.set(Date.UTC(2026, 2, 2, 6, 11));
    expect((await scheduler.runDue()).succeeded).toBe(1);
    expect(await status()).toBe('cancelled');
  });
});
