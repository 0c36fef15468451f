import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createFakeClock, uuidv7, type FakeClock } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import {
  createIdempotency,
  memoryIdempotencyStore,
  IdempotencyKeyReusedError,
  type IdempotencyStore,
} from '@carequeue/resilience';
import { expect, it } from 'vitest';
import { sqlAppointmentRepository } from '../../src/booking/postgres/appointment-repository.js';
import { sqlBookingUnitOfWork } from '../../src/booking/postgres/booking-unit-of-work.js';
import { createBookingService, type BookingRequest } from '../../src/booking/booking-service.js';
import { SlotUnavailableError } from '../../src/errors.js';
import {
  expectNoOverlapAmongConcurrentBookings,
  sqlContentionSetup,
} from './booking-service-concurrency.js';
import { auditedActions } from './service-fixtures.js';
import { sqlClockFollowing } from './sql-clock-fixture.js';
import {
  patientActor,
  receptionist,
  seedBookingWorld,
  type BookingWorld,
} from './booking-fixtures.js';

const MINUTE = 60_000;

async function setUp(
  executor: SqlExecutor,
  options: {
    patients?: number;
    groupCapacity?: number;
    idempotencyStore?: (clock: FakeClock) => IdempotencyStore;
  } = {},
) {
  const world = await seedBookingWorld(executor, { patients: options.patients ?? 4 });
  // Monday 2 March 2026, 07:00 in Paris.
  const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
  const backgroundErrors: unknown[] = [];
  const booking = createBookingService({
    unitOfWork: sqlBookingUnitOfWork({ executor: sqlClockFollowing(executor, clock) }),
    audit: createAuditLogService({ store: postgresAuditStore({ executor }), clock }),
    clock,
    idempotency: createIdempotency({
      store: options.idempotencyStore?.(clock) ?? memoryIdempotencyStore({ clock }),
      clock,
    }),
    holdMinutes: 10,
    seatCapacity: () => options.groupCapacity ?? 1,
    onBackgroundError: (error) => backgroundErrors.push(error),
  });
  const request = (patientIndex: number, start: string): BookingRequest => ({
    clinicId: world.clinicId,
    staffId: world.staffIds[0]!,
    serviceTypeId: world.serviceTypeId,
    patientId: world.patientIds[patientIndex]!,
    start,
    idempotencyKey: uuidv7(),
  });
  const patients = world.patientIds.map((patientId) => patientActor(world, patientId));
  return { world, clock, booking, request, patients, backgroundErrors };
}

function appointmentRow(executor: SqlExecutor, world: BookingWorld, id: string) {
  return asServiceRole(executor, (tx) =>
    sqlAppointmentRepository({ executor: tx }).get(world.tenantId, id as never),
  );
}

/** An idempotency store whose process stops right after the booking committed, once. */
function crashingAfterCommit(clock: FakeClock): IdempotencyStore {
  const inner = memoryIdempotencyStore({ clock });
  let crashed = false;
  return {
    claim: (...args) => inner.claim(...args),
    release: (...args) => inner.release(...args),
    complete: (...args) => {
      if (crashed) return inner.complete(...args);
      crashed = true;
      return Promise.reject(new Error('process stopped before recording the answer'));
    },
  };
}

/** BookingService scenarios on a SQL store, where row-level security applies to every call. */
export function bookingServiceScenarios(executor: () => SqlExecutor): void {
  it('answers a retry after a crash between commit and idempotency record with the first appointment', async () => {
    const { world, clock, booking, request, patients } = await setUp(executor(), {
      idempotencyStore: crashingAfterCommit,
    });
    const first = request(0, '2026-03-02T08:00:00.000Z');
    await expect(booking.book(patients[0]!, first)).rejects.toThrow('process stopped');
    await clock.advance(2 * MINUTE);
    const retried = await booking.book(patients[0]!, first);
    expect(retried).toMatchObject({ status: 'booked', start: first.start });
    const { rows } = await asServiceRole(executor(), (tx) =>
      tx.query<{ id: string; idempotency_key: string }>(
        'SELECT id, idempotency_key FROM queue.appointments WHERE tenant_id = $1',
        [world.tenantId],
      ),
    );
    expect(rows.map((row) => row.id)).toEqual([retried.id]);
    // Stored opaque: a SHA-256 digest, not the key as sent.
    expect(rows[0]!.idempotency_key).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.idempotency_key).not.toContain(first.idempotencyKey);
    await expect(
      booking.book(patients[0]!, {
        ...request(0, '2026-03-02T09:00:00.000Z'),
        idempotencyKey: first.idempotencyKey,
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it("returns a lapsed offer's entry to waiting when another patient books over the hold", async () => {
    const { world, clock, booking, request, patients } = await setUp(executor());
    const taken = await booking.book(patients[0]!, request(0, '2026-03-03T08:00:00.000Z'));
    const entry = await booking.joinWaitlist(patients[1]!, {
      clinicId: world.clinicId,
      patientId: world.patientIds[1]!,
      serviceTypeId: world.serviceTypeId,
    });
    await booking.cancel(patients[0]!, taken.id, 'patient-request');
    expect((await booking.getWaitlistEntry(patients[1]!, entry.id)).status).toBe('offered');
    await clock.advance(10 * MINUTE);
    // Patient 2 cannot read patient 1's hold or waitlist entry under row-level security.
    await booking.book(patients[2]!, request(2, taken.start));
    const reopened = await booking.getWaitlistEntry(patients[1]!, entry.id);
    expect(reopened.status).toBe('waiting');
    expect(reopened.offeredAppointmentId).toBeUndefined();
    expect(await auditedActions(executor(), entry.id)).toEqual([
      'WaitlistEntry:create',
      'WaitlistEntry:offer',
      'WaitlistEntry:offer-lapsed',
    ]);
  });

  it('sweeps lapsed offers back to waiting and offers the slot to the next entry', async () => {
    const { world, clock, booking, request, patients } = await setUp(executor());
    const desk = receptionist(world);
    const taken = await booking.book(patients[0]!, request(0, '2026-03-03T08:00:00.000Z'));
    const join = (index: number) =>
      booking.joinWaitlist(patients[index]!, {
        clinicId: world.clinicId,
        patientId: world.patientIds[index]!,
        serviceTypeId: world.serviceTypeId,
      });
    const first = await join(1);
    const second = await join(2);
    await booking.cancel(patients[0]!, taken.id, 'patient-request');
    expect(await booking.expireLapsedOffers(desk, world.clinicId)).toEqual([]);
    await clock.advance(10 * MINUTE);
    expect(await booking.expireLapsedOffers(desk, world.clinicId)).toEqual([first.id]);
    expect((await booking.getWaitlistEntry(patients[1]!, first.id)).status).toBe('waiting');
    const next = await booking.getWaitlistEntry(patients[2]!, second.id);
    expect(next.status).toBe('offered');
    expect(await booking.confirm(patients[2]!, next.offeredAppointmentId!)).toMatchObject({
      status: 'booked',
      start: taken.start,
    });
  });

  it('leaves no overlap among 200 concurrent bookings of different lengths through the service', async () => {
    await expectNoOverlapAmongConcurrentBookings(await sqlContentionSetup(executor(), 200), 200);
  });

  it("books over another patient's lapsed hold it cannot see, auditing both in the transaction", async () => {
    const { world, clock, booking, request, patients } = await setUp(executor());
    const hold = await booking.book(patients[0]!, {
      ...request(0, '2026-03-02T08:00:00.000Z'),
      hold: true,
    });
    await expect(booking.book(patients[1]!, request(1, hold.start))).rejects.toBeInstanceOf(
      SlotUnavailableError,
    );
    await clock.advance(10 * MINUTE);
    const slots = await booking.listSlots(patients[1]!, {
      clinicId: world.clinicId,
      staffId: world.staffIds[0]!,
      serviceTypeId: world.serviceTypeId,
      from: '2026-03-02T07:00:00.000Z',
      to: '2026-03-02T09:00:00.000Z',
    });
    expect(slots.map((slot) => slot.start)).toContain(hold.start);
    const booked = await booking.book(patients[1]!, request(1, hold.start));
    expect(await appointmentRow(executor(), world, hold.id)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'hold-expired',
    });
    expect(await auditedActions(executor(), hold.id)).toEqual([
      'Appointment:create',
      'Appointment:expire-hold',
    ]);
    expect(await auditedActions(executor(), booked.id)).toEqual(['Appointment:create']);
  });

  it("never lists a slot taken by another patient's booking the caller cannot read", async () => {
    const { world, booking, request, patients } = await setUp(executor());
    const taken = await booking.book(patients[0]!, request(0, '2026-03-02T08:00:00.000Z'));
    const query = {
      clinicId: world.clinicId,
      staffId: world.staffIds[0]!,
      serviceTypeId: world.serviceTypeId,
      from: '2026-03-02T07:00:00.000Z',
      to: '2026-03-02T10:00:00.000Z',
    };
    const listed = await booking.listSlots(patients[1]!, query);
    // 08:00 is taken; 07:30 and 07:45 would run into it, 08:15 into its 5-minute buffer.
    expect(listed.map((slot) => slot.start)).toEqual(
      ['07:00', '07:15', '08:45', '09:00', '09:15', '09:30', '09:45'].map(
        (t) => `2026-03-02T${t}:00.000Z`,
      ),
    );
    for (const slot of listed) {
      const booked = await booking.book(patients[1]!, request(1, slot.start));
      await booking.cancel(patients[1]!, booked.id, 'patient-request');
    }
    expect(taken.status).toBe('booked');
  });

  it('offers the slot a patient cancels to another patient on the waitlist', async () => {
    const { world, booking, request, patients, backgroundErrors } = await setUp(executor());
    const taken = await booking.book(patients[0]!, request(0, '2026-03-03T08:00:00.000Z'));
    const entry = await booking.joinWaitlist(patients[1]!, {
      clinicId: world.clinicId,
      patientId: world.patientIds[1]!,
      serviceTypeId: world.serviceTypeId,
    });
    const cancelled = await booking.cancel(patients[0]!, taken.id, 'patient-request');
    expect(cancelled.lateCancel).toBe(false);
    expect(backgroundErrors).toEqual([]);
    const offered = await booking.getWaitlistEntry(patients[1]!, entry.id);
    expect(offered.status).toBe('offered');
    const confirmed = await booking.confirm(patients[1]!, offered.offeredAppointmentId!);
    expect(confirmed).toMatchObject({
      status: 'booked',
      start: taken.start,
      patientId: world.patientIds[1],
    });
    expect((await booking.getWaitlistEntry(patients[1]!, entry.id)).status).toBe('booked');
    expect(await auditedActions(executor(), entry.id)).toEqual([
      'WaitlistEntry:create',
      'WaitlistEntry:offer',
      'WaitlistEntry:update',
    ]);
  });

  it('leaves no overlap among concurrent patients booking overlapping listed slots', async () => {
    const { world, booking, request, patients } = await setUp(executor(), { patients: 24 });
    const starts = [
      '2026-03-02T08:00:00.000Z',
      '2026-03-02T08:15:00.000Z',
      '2026-03-02T08:30:00.000Z',
    ];
    const outcomes = await Promise.allSettled(
      patients.map((patient, index) =>
        booking.book(patient, request(index, starts[index % starts.length]!)),
      ),
    );
    const winners = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : [],
    );
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(SlotUnavailableError);
    }
    // Each start overlaps the next, and 08:00 with its 5-minute buffer runs to 08:35, past 08:30:
    // exactly one booking can win.
    const occupying = await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).listOccupying(world.tenantId, world.staffIds[0]!, {
        start: '2026-03-02T00:00:00.000Z',
        end: '2026-03-03T00:00:00.000Z',
      }),
    );
    expect(occupying.map((row) => row.id).sort()).toEqual(winners.map((row) => row.id).sort());
    expect(winners).toHaveLength(1);
    const sorted = [...winners].sort((a, b) => a.start.localeCompare(b.start));
    for (let index = 1; index < sorted.length; index += 1) {
      expect(Date.parse(sorted[index]!.start)).toBeGreaterThanOrEqual(
        Date.parse(sorted[index - 1]!.end) + 5 * MINUTE,
      );
    }
  });

  it('numbers concurrent group seats 1 to capacity and refuses the rest', async () => {
    const { world, booking, request, patients } = await setUp(executor(), {
      patients: 5,
      groupCapacity: 3,
    });
    const outcomes = await Promise.allSettled(
      patients.map((patient, index) =>
        booking.book(patient, request(index, '2026-03-02T09:00:00.000Z')),
      ),
    );
    const seated = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : [],
    );
    expect(seated).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toHaveLength(2);
    const groupSlotId = (await appointmentRow(executor(), world, seated[0]!.id))?.groupSlotId;
    const seats = await asServiceRole(executor(), (tx) =>
      sqlAppointmentRepository({ executor: tx }).listSeats(world.tenantId, groupSlotId!),
    );
    expect(seats.map((seat) => seat.seatNumber)).toEqual([1, 2, 3]);
  });

  it('marks no-shows as clinic staff and keeps a failed reschedule from changing anything', async () => {
    const { world, clock, booking, request, patients } = await setUp(executor());
    const visit = await booking.book(patients[0]!, request(0, '2026-03-02T08:00:00.000Z'));
    const other = await booking.book(patients[1]!, request(1, '2026-03-02T09:00:00.000Z'));
    await expect(
      booking.reschedule(patients[1]!, other.id, { start: visit.start, idempotencyKey: uuidv7() }),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    expect(await appointmentRow(executor(), world, other.id)).toMatchObject({
      status: 'booked',
      version: 0,
    });
    clock.set(Date.parse(visit.start) + 15 * MINUTE);
    expect(await booking.markNoShows(receptionist(world), world.clinicId)).toEqual([visit.id]);
    expect(await auditedActions(executor(), visit.id)).toEqual([
      'Appointment:create',
      'Appointment:no-show',
    ]);
  });
}
