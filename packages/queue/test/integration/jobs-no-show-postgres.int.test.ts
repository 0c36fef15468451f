import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createFakeClock, uuidv7, type PatientId } from '@carequeue/core';
import { asServiceRole, createPgExecutor } from '@carequeue/core/sql';
import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
import { requirePostgres, useTestDatabase } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { createBookingService } from '../../src/booking/booking-service.js';
import type { JobHandler } from '../../src/jobs/ports/job-scheduler.js';
import { createJobScheduler } from '../../src/jobs/postgres/job-scheduler.js';
import { holdExpiryJob, MAINTENANCE_JOBS, noShowJob } from '../../src/jobs/maintenance-jobs.js';
import { notifyingBookingUnitOfWork } from '../../src/jobs/postgres/notifying-booking-unit-of-work.js';
import type { NotifyingBookingUnitOfWorkOptions } from '../../src/jobs/postgres/notifying-booking-unit-of-work.js';
import { patientActor, receptionist, seedBookingWorld } from './booking-fixtures.js';
import type { BookingWorld } from './booking-fixtures.js';
import { sqlClockFollowing } from './sql-clock-fixture.js';

const postgres = await requirePostgres();

// On Postgres because each sweep runs BookingService's own transaction while the job's
// transaction is open, which needs a second connection (a single PGlite connection cannot).
describe.skipIf(!postgres.available)('booking maintenance jobs on Postgres', () => {
  const db = useTestDatabase({ poolSize: 4 });

  type Booking = ReturnType<typeof createBookingService>;

  /**
   * A booking service whose unit of work schedules maintenance jobs, and a scheduler running
   * `handlers` (each given the service, which is built after the scheduler it needs).
   */
  async function setUp(
    handlers: (booking: () => Booking, world: BookingWorld) => Record<string, JobHandler>,
    unitOfWork: Pick<NotifyingBookingUnitOfWorkOptions, 'noShowGraceMs' | 'scheduleHoldExpiry'>,
  ) {
    const sql = createPgExecutor({ pool: db.pool });
    const world = await seedBookingWorld(sql, { patients: 1 });
    const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
    // The handlers reach the service only when a job runs, after it is built below.
    const bookingService = (): Booking => booking;
    const scheduler = createJobScheduler({
      executor: sql,
      handlers: handlers(bookingService, world),
      clock,
    });
    const booking = createBookingService({
      unitOfWork: notifyingBookingUnitOfWork({
        executor: sqlClockFollowing(sql, clock),
        scheduler,
        clock,
        ...unitOfWork,
      }),
      audit: createAuditLogService({ store: postgresAuditStore({ executor: sql }), clock }),
      clock,
      idempotency: createIdempotency({ store: memoryIdempotencyStore({ clock }), clock }),
      holdMinutes: 10,
    });
    const patientId = world.patientIds[0] as PatientId;
    const book = (hold: boolean) =>
      booking.book(patientActor(world, patientId), {
        clinicId: world.clinicId,
        staffId: world.staffIds[0] as never,
        serviceTypeId: world.serviceTypeId,
        patientId,
        start: '2026-03-02T09:00:00.000Z',
        idempotencyKey: uuidv7(),
        hold,
      });
    const statusOf = async (id: string) =>
      (
        await asServiceRole(sql, (tx) =>
          tx.query<{ status: string }>('SELECT status FROM queue.appointments WHERE id = $1', [id]),
        )
      ).rows[0]?.status;
    return { clock, scheduler, book, statusOf };
  }

  it('marks a booking that nobody checked in as a no-show once its grace period has passed', async () => {
    const { clock, scheduler, book, statusOf } = await setUp(
      (booking, world) => ({
        [MAINTENANCE_JOBS.noShow]: noShowJob({
          markNoShows: (_tenantId, clinicId) =>
            booking().markNoShows(receptionist(world), clinicId as never),
        }),
      }),
      { noShowGraceMs: 15 * 60_000 },
    );
    const visit = await book(false);

    clock.set(Date.UTC(2026, 2, 2, 9, 14));
    expect((await scheduler.runDue()).succeeded).toBe(0);
    clock.set(Date.UTC(2026, 2, 2, 9, 16));
    expect((await scheduler.runDue()).succeeded).toBe(1);
    expect(await statusOf(visit.id)).toBe('noshow');
  });

  it('cancels a pending hold at its expiry through the hold-expiry job, with nobody booking the slot', async () => {
    const { clock, scheduler, book, statusOf } = await setUp(
      (booking, world) => ({
        [MAINTENANCE_JOBS.holdExpiry]: holdExpiryJob({
          expireLapsedHolds: (_tenantId, clinicId) =>
            booking().expireLapsedOffers(receptionist(world), clinicId as never),
        }),
      }),
      { scheduleHoldExpiry: true },
    );
    const hold = await book(true);
    expect(await statusOf(hold.id)).toBe('pending');

    clock.set(Date.UTC(2026, 2, 2, 6, 9));
    expect((await scheduler.runDue()).succeeded).toBe(0);
    expect(await statusOf(hold.id)).toBe('pending');
    clock.set(Date.UTC(2026, 2, 2, 6, 11));
    expect((await scheduler.runDue()).succeeded).toBe(1);
    expect(await statusOf(hold.id)).toBe('cancelled');
  });
});
