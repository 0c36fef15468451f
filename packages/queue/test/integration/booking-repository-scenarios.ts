import {
  AppointmentId,
  uuidv7,
  ValidationError,
  type Actor,
  type PatientId,
  type StaffId,
} from '@carequeue/core';
import { expect, it } from 'vitest';
import {
  appointmentBusyRange,
  appointmentsConflict,
} from '../../src/booking/appointment-busy-range.js';
import type { StoredAppointment } from '../../src/booking/ports/appointment-repository.js';
import type {
  BookingUnitOfWork,
  BookingWorkScope,
} from '../../src/booking/ports/booking-unit-of-work.js';
import { ForeignKeyViolationError } from '@carequeue/core/sql';
import { SlotUnavailableError, StaleVersionError } from '../../src/errors.js';
import { appointmentAt, seededRandom, worker, type BookingWorld } from './booking-fixtures.js';

/** How a store under test is reached. */
export interface BookingStoreSetup {
  /** A fresh tenant world, stored where the store needs it. */
  readonly world: () => Promise<BookingWorld>;
  readonly unitOfWork: () => BookingUnitOfWork;
}

const DAY = { start: '2026-03-02T00:00:00.000Z', end: '2026-03-03T00:00:00.000Z' };
const MINUTE = 60_000;

/** Books `appointment` the way the booking service does: lapsed holds in the way go first. */
function book(
  unitOfWork: BookingUnitOfWork,
  actor: Actor,
  appointment: StoredAppointment,
  now: string,
): Promise<void> {
  return unitOfWork.run(actor, async ({ appointments }) => {
    const busy = appointmentBusyRange(appointment);
    await appointments.expireHolds(
      appointment.tenantId,
      appointment.staffId,
      { start: new Date(busy.start).toISOString(), end: new Date(busy.end).toISOString() },
      now,
    );
    await appointments.insert(appointment);
  });
}

/**
 * Repository and unit-of-work scenarios every booking store passes: the storage contract, run as
 * a worker, so rows are written as given. What end users may write is tested with the service.
 */
export function bookingRepositoryScenarios(setup: BookingStoreSetup): void {
  it('leaves no overlap among 1,000 concurrent attempts and every loser overlaps a winner', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const random = seededRandom(11);
    const attempts = Array.from({ length: 1000 }, (_, index) => {
      const start =
        Date.parse('2026-03-02T07:00:00.000Z') + Math.floor(random() * 120) * 5 * MINUTE;
      const minutes = 5 + Math.floor(random() * 18) * 5;
      return appointmentAt(world, new Date(start).toISOString(), minutes, {
        patientId: world.patientIds[index % world.patientIds.length] as PatientId,
        bufferBeforeMinutes: Math.floor(random() * 3) * 5,
        bufferAfterMinutes: Math.floor(random() * 3) * 5,
        status: random() < 0.3 ? 'pending' : 'booked',
        ...(random() < 0.3 ? { holdExpiresAt: '2026-03-02T12:00:00.000Z' } : {}),
      });
    });
    const outcomes = await Promise.allSettled(
      attempts.map((attempt) => book(unitOfWork, actor, attempt, '2026-03-01T00:00:00.000Z')),
    );
    const winners = attempts.filter((_, index) => outcomes[index]?.status === 'fulfilled');
    const losers = attempts.filter((_, index) => outcomes[index]?.status === 'rejected');
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(SlotUnavailableError);
    }
    expect(winners.length).toBeGreaterThan(10);
    expect(losers.length).toBeGreaterThan(0);
    const stored = await unitOfWork.run(actor, ({ appointments }) =>
      appointments.listOccupying(world.tenantId, world.staffIds[0]!, DAY),
    );
    expect(stored.map((row) => row.id).sort()).toEqual(winners.map((row) => row.id).sort());
    const ranges = stored.map(appointmentBusyRange).sort((a, b) => a.start - b.start);
    for (let index = 1; index < ranges.length; index += 1) {
      expect(ranges[index]!.start).toBeGreaterThanOrEqual(ranges[index - 1]!.end);
    }
    for (const loser of losers) {
      expect(winners.some((winner) => appointmentsConflict(loser, winner))).toBe(true);
    }
  });

  it('refuses non-UUID ids, instants that are not timestamps and malformed rows with a ValidationError on every adapter, not a 404 in memory and a 502 on SQL', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const staffId = world.staffIds[0]!;
    const refusals: ((scope: BookingWorkScope) => Promise<unknown>)[] = [
      ({ appointments }) => appointments.get(world.tenantId, 'appointment-1' as AppointmentId),
      ({ appointments }) =>
        appointments.listBusy(world.tenantId, 'staff-1' as StaffId, {
          start: DAY.start,
          end: DAY.end,
        }),
      ({ appointments }) =>
        appointments.listOccupying(world.tenantId, staffId, { start: 'monday', end: DAY.end }),
      ({ appointments }) =>
        appointments.insert({
          ...appointmentAt(world, '2026-03-02T09:00:00.000Z', 30),
          id: 'appointment-1' as AppointmentId,
        }),
      ({ appointments }) => appointments.listSeats(world.tenantId, 'slot-1'),
      ({ waitlist }) => waitlist.get(world.tenantId, 'entry-1'),
      ({ waitlist }) => waitlist.findByOffer(world.tenantId, 'appointment-1' as AppointmentId),
      ({ waitlist }) =>
        waitlist.nextWaiting(
          world.tenantId,
          world.clinicId,
          world.serviceTypeId,
          staffId,
          'next tuesday',
        ),
    ];
    for (const refusal of refusals) {
      await expect(unitOfWork.run(actor, refusal)).rejects.toBeInstanceOf(ValidationError);
    }
  });

  it("refuses an appointment or a waitlist entry naming another tenant's patient with ForeignKeyViolationError, and keeps nothing", async () => {
    const world = await setup.world();
    const foreign = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const patientId = foreign.patientIds[0]!;
    const appointment = appointmentAt(world, '2026-03-02T09:00:00.000Z', 30, { patientId });
    await expect(
      unitOfWork.run(actor, ({ appointments }) => appointments.insert(appointment)),
    ).rejects.toBeInstanceOf(ForeignKeyViolationError);
    const entry = {
      id: uuidv7(),
      tenantId: world.tenantId,
      clinicId: world.clinicId,
      serviceTypeId: world.serviceTypeId,
      patientId,
      status: 'waiting' as const,
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
      version: 0,
    };
    await expect(
      unitOfWork.run(actor, ({ waitlist }) => waitlist.insert(entry)),
    ).rejects.toBeInstanceOf(ForeignKeyViolationError);
    await unitOfWork.run(actor, async ({ appointments, waitlist }) => {
      expect(await appointments.get(world.tenantId, appointment.id)).toBeUndefined();
      expect(await waitlist.get(world.tenantId, entry.id)).toBeUndefined();
    });
  });

  it('lets an expired hold never block a booking and a live hold always block it', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const holder = worker(world);
    const other = worker(world);
    for (const [index, expiresInMinutes] of [5, 0, 1, 30].entries()) {
      const start = `2026-03-02T${String(8 + index).padStart(2, '0')}:00:00.000Z`;
      const now = '2026-03-02T06:00:00.000Z';
      const expiry = new Date(Date.parse(now) + expiresInMinutes * MINUTE).toISOString();
      const hold = appointmentAt(world, start, 30, { status: 'pending', holdExpiresAt: expiry });
      await book(unitOfWork, holder, hold, '2026-03-01T00:00:00.000Z');
      const rival = appointmentAt(world, start, 45, { patientId: world.patientIds[1]! });
      const live = new Date(Date.parse(expiry) - 1).toISOString();
      await expect(book(unitOfWork, other, rival, live)).rejects.toBeInstanceOf(
        SlotUnavailableError,
      );
      await book(unitOfWork, other, rival, expiry);
      const lapsed = await unitOfWork.run(holder, ({ appointments }) =>
        appointments.get(world.tenantId, hold.id),
      );
      expect(lapsed).toMatchObject({
        status: 'cancelled',
        cancellationReason: 'hold-expired',
        version: 1,
      });
      expect(lapsed?.holdExpiresAt).toBeUndefined();
    }
  });

  it('allows back-to-back visits and ignores cancelled rows, other staff and other tenants', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const first = appointmentAt(world, '2026-03-02T09:00:00.000Z', 30, { bufferAfterMinutes: 5 });
    await book(unitOfWork, actor, first, DAY.start);
    await book(unitOfWork, actor, appointmentAt(world, '2026-03-02T09:35:00.000Z', 30), DAY.start);
    const overlapping = appointmentAt(world, '2026-03-02T09:30:00.000Z', 30);
    await expect(book(unitOfWork, actor, overlapping, DAY.start)).rejects.toBeInstanceOf(
      SlotUnavailableError,
    );
    await book(unitOfWork, actor, { ...overlapping, staffId: world.staffIds[1]! }, DAY.start);
    await unitOfWork.run(actor, ({ appointments }) =>
      appointments.update({
        ...first,
        status: 'cancelled',
        cancellationReason: 'clinic-request',
        version: 1,
      }),
    );
    await book(unitOfWork, actor, appointmentAt(world, '2026-03-02T09:00:00.000Z', 30), DAY.start);
  });

  it('rejects a stale update and an update that would overlap', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const a = appointmentAt(world, '2026-03-02T10:00:00.000Z', 30);
    const b = appointmentAt(world, '2026-03-02T11:00:00.000Z', 30);
    await book(unitOfWork, actor, a, DAY.start);
    await book(unitOfWork, actor, b, DAY.start);
    await expect(
      unitOfWork.run(actor, ({ appointments }) => appointments.update({ ...a, version: 5 })),
    ).rejects.toBeInstanceOf(StaleVersionError);
    await expect(
      unitOfWork.run(actor, ({ appointments }) =>
        appointments.update({ ...a, end: '2026-03-02T11:15:00.000Z', version: 1 }),
      ),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    expect(
      await unitOfWork.run(actor, ({ appointments }) => appointments.get(world.tenantId, a.id)),
    ).toMatchObject({ end: '2026-03-02T10:30:00.000Z', version: 0 });
  });

  it('rolls a failed unit back, so nothing it wrote remains', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const kept = appointmentAt(world, '2026-03-02T13:00:00.000Z', 30);
    await book(unitOfWork, actor, kept, DAY.start);
    const moved = appointmentAt(world, '2026-03-02T14:00:00.000Z', 30);
    await expect(
      unitOfWork.run(actor, async ({ appointments }) => {
        await appointments.update({ ...kept, status: 'cancelled', version: 1 });
        await appointments.insert(moved);
        await appointments.insert(appointmentAt(world, '2026-03-02T14:15:00.000Z', 30));
      }),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    const [after, absent] = await unitOfWork.run(actor, async ({ appointments }) => [
      await appointments.get(world.tenantId, kept.id),
      await appointments.get(world.tenantId, moved.id),
    ]);
    expect(after?.status).toBe('booked');
    expect(absent).toBeUndefined();
  });

  it('numbers group seats uniquely up to capacity and keeps other bookings out of the session', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const groupSlotId = uuidv7();
    const seats = world.patientIds.map((patientId) =>
      appointmentAt(world, '2026-03-02T15:00:00.000Z', 60, { patientId, groupSlotId }),
    );
    const taken = await Promise.allSettled(
      seats.map((seat) =>
        unitOfWork.run(actor, async ({ appointments }) => {
          await appointments.insert(seat);
          const number = await appointments.takeSeat(
            {
              tenantId: seat.tenantId,
              clinicId: seat.clinicId,
              groupSlotId,
              appointmentId: seat.id,
              patientId: seat.patientId,
              createdAt: seat.createdAt,
            },
            3,
          );
          if (number === undefined) throw new SlotUnavailableError();
          return number;
        }),
      ),
    );
    const numbers = taken.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value] : [],
    );
    expect(numbers.sort()).toEqual([1, 2, 3]);
    expect(taken.filter((outcome) => outcome.status === 'rejected')).toHaveLength(
      world.patientIds.length - 3,
    );
    const stored = await unitOfWork.run(actor, ({ appointments }) =>
      appointments.listSeats(world.tenantId, groupSlotId),
    );
    expect(stored.map((seat) => seat.seatNumber)).toEqual([1, 2, 3]);
    await expect(
      book(unitOfWork, actor, appointmentAt(world, '2026-03-02T15:30:00.000Z', 30), DAY.start),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    await expect(
      book(
        unitOfWork,
        actor,
        appointmentAt(world, '2026-03-02T15:30:00.000Z', 60, { groupSlotId: uuidv7() }),
        DAY.start,
      ),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    const firstSeat = stored[0]!;
    await unitOfWork.run(actor, ({ appointments }) =>
      appointments.releaseSeat(world.tenantId, firstSeat.appointmentId),
    );
    expect(
      (
        await unitOfWork.run(actor, ({ appointments }) =>
          appointments.listSeats(world.tenantId, groupSlotId),
        )
      ).map((seat) => seat.seatNumber),
    ).toEqual([2, 3]);
  });

  it('lists booked appointments started by a time, oldest first, up to the limit', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const early = appointmentAt(world, '2026-03-02T08:00:00.000Z', 15);
    const later = appointmentAt(world, '2026-03-02T08:30:00.000Z', 15);
    const future = appointmentAt(world, '2026-03-02T16:00:00.000Z', 15);
    for (const appointment of [later, future, early])
      await book(unitOfWork, actor, appointment, DAY.start);
    const due = await unitOfWork.run(actor, ({ appointments }) =>
      appointments.listBookedStartedBy(
        world.tenantId,
        world.clinicId,
        '2026-03-02T09:00:00.000Z',
        10,
      ),
    );
    expect(due.map((row) => row.id)).toEqual([early.id, later.id]);
    const one = await unitOfWork.run(actor, ({ appointments }) =>
      appointments.listBookedStartedBy(
        world.tenantId,
        world.clinicId,
        '2026-03-02T09:00:00.000Z',
        1,
      ),
    );
    expect(one.map((row) => row.id)).toEqual([early.id]);
  });

  it('offers waitlist entries oldest first within their staff member and window', async () => {
    const world = await setup.world();
    const unitOfWork = setup.unitOfWork();
    const actor = worker(world);
    const base = {
      tenantId: world.tenantId,
      clinicId: world.clinicId,
      serviceTypeId: world.serviceTypeId,
      status: 'waiting' as const,
      version: 0,
    };
    const narrow = {
      ...base,
      id: uuidv7(),
      patientId: world.patientIds[0]!,
      staffId: world.staffIds[1]!,
      createdAt: '2026-03-01T08:00:00.000Z',
      updatedAt: '2026-03-01T08:00:00.000Z',
    };
    const windowed = {
      ...base,
      id: uuidv7(),
      patientId: world.patientIds[1]!,
      earliestAt: '2026-03-02T12:00:00.000Z',
      latestAt: '2026-03-02T18:00:00.000Z',
      createdAt: '2026-03-01T09:00:00.000Z',
      updatedAt: '2026-03-01T09:00:00.000Z',
    };
    const open = {
      ...base,
      id: uuidv7(),
      patientId: world.patientIds[2]!,
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
    };
    await unitOfWork.run(actor, async ({ waitlist }) => {
      for (const entry of [open, windowed, narrow]) await waitlist.insert(entry);
    });
    const next = (staffIndex: number, start: string) =>
      unitOfWork.run(actor, ({ waitlist }) =>
        waitlist.nextWaiting(
          world.tenantId,
          world.clinicId,
          world.serviceTypeId,
          world.staffIds[staffIndex]!,
          start,
        ),
      );
    expect((await next(1, '2026-03-02T09:00:00.000Z'))?.id).toBe(narrow.id);
    expect((await next(0, '2026-03-02T13:00:00.000Z'))?.id).toBe(windowed.id);
    expect((await next(0, '2026-03-02T09:00:00.000Z'))?.id).toBe(open.id);
    const offer = AppointmentId.parse(uuidv7());
    await unitOfWork.run(actor, ({ waitlist }) =>
      waitlist.update({ ...open, status: 'offered', offeredAppointmentId: offer, version: 1 }),
    );
    expect(
      await unitOfWork.run(actor, ({ waitlist }) => waitlist.findByOffer(world.tenantId, offer)),
    ).toMatchObject({ id: open.id, status: 'offered' });
    expect(await next(0, '2026-03-02T09:00:00.000Z')).toBeUndefined();
    await expect(
      unitOfWork.run(actor, ({ waitlist }) => waitlist.update({ ...open, version: 1 })),
    ).rejects.toBeInstanceOf(StaleVersionError);
    expect(
      await unitOfWork.run(actor, ({ waitlist }) => waitlist.get(world.tenantId, narrow.id)),
    ).toMatchObject({
      staffId: world.staffIds[1],
    });
  });
}
