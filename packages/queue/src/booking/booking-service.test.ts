import { createAuditLogService, memoryAuditStore, type AuditEvent } from '@carequeue/audit';
import {
  AppointmentId,
  ClinicId,
  createFakeClock,
  ForbiddenError,
  InvalidTransitionError,
  NotFoundError,
  PatientId,
  StaffId,
  TenantId,
  UserId,
  uuidv7,
  ValidationError,
} from '@carequeue/core';
import type { Actor, FakeClock, ServiceType } from '@carequeue/core';
import {
  createIdempotency,
  memoryIdempotencyStore,
  IdempotencyKeyReusedError,
} from '@carequeue/resilience';
import type { IdempotencyStore } from '@carequeue/resilience';
import { describe, expect, it } from 'vitest';
import { memoryClinicRepository, memoryServiceTypeRepository } from '../clinics/index.js';
import { QueueConfigError, SlotUnavailableError } from '../errors.js';
import { memoryScheduleRepository } from '../staff/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { sampleServiceType } from '../testing/service-type-repository-contract.js';
import { HoldExpiredError, SlotOutsideAvailabilityError } from './booking-errors.js';
import { createBookingService, MAX_HOLD_MINUTES, type BookingRequest } from './booking-service.js';
import { memoryBookingUnitOfWork } from './memory/booking-unit-of-work.js';
import { memoryAppointmentRepository } from './memory/appointment-repository.js';
import { storedPatients } from '../../test/memory-contract-fixtures.js';

const MINUTE = 60_000;
const tenantId = TenantId.parse(uuidv7());

function actor(roles: Actor['roles'], overrides: Partial<Actor> = {}): Actor {
  return { userId: UserId.parse(uuidv7()), tenantId, roles, aal: 'aal2', ...overrides };
}

async function setUp(
  options: {
    capacity?: number;
    holdMinutes?: number;
    idempotencyStore?: (clock: FakeClock) => IdempotencyStore;
  } = {},
) {
  // Monday 2 March 2026, 07:00 in Paris.
  const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
  const clinic = sampleClinic(tenantId, { timeZone: 'Europe/Paris' });
  const serviceType = sampleServiceType(tenantId, clinic.id, {
    durationMinutes: 30,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 5,
  });
  const group = sampleServiceType(tenantId, clinic.id, {
    name: 'Group class',
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
  });
  const staffId = StaffId.parse(uuidv7());
  const clinics = memoryClinicRepository();
  const serviceTypes = memoryServiceTypeRepository();
  const schedules = memoryScheduleRepository();
  await clinics.insert(clinic);
  await serviceTypes.insert(serviceType);
  await serviceTypes.insert(group);
  await serviceTypes.insert(
    sampleServiceType(tenantId, clinic.id, { name: 'Retired', active: false }),
  );
  await schedules.save({
    tenantId,
    clinicId: clinic.id,
    staffId,
    timeZone: 'Europe/Paris',
    weeklyHours: ['monday', 'tuesday', 'wednesday'].map((day) => ({
      day: day as 'monday',
      start: '08:00',
      end: '14:00',
      breaks: [{ start: '12:30', end: '13:00' }],
    })),
    dateOverrides: [],
    updatedAt: clinic.createdAt,
    version: 0,
  });
  const events: AuditEvent[] = [];
  const inner = memoryAuditStore();
  const auditStore = {
    ...inner,
    append: (batch: readonly AuditEvent[]) => {
      events.push(...batch);
      return inner.append(batch);
    },
  };
  const backgroundErrors: unknown[] = [];
  const appointments = memoryAppointmentRepository();
  const patients = [0, 1, 2, 3].map(() => PatientId.parse(uuidv7()));
  const booking = createBookingService({
    unitOfWork: memoryBookingUnitOfWork({
      auditStore,
      clinics,
      serviceTypes,
      schedules,
      appointments,
      patients: await storedPatients(tenantId, patients),
    }),
    audit: createAuditLogService({ store: auditStore, clock }),
    clock,
    idempotency: createIdempotency({
      store: options.idempotencyStore?.(clock) ?? memoryIdempotencyStore({ clock }),
      clock,
    }),
    ...(options.holdMinutes === undefined ? {} : { holdMinutes: options.holdMinutes }),
    seatCapacity: (type: ServiceType) => (type.id === group.id ? (options.capacity ?? 3) : 1),
    onBackgroundError: (error) => backgroundErrors.push(error),
  });
  const patientActors = patients.map((patientId) => actor(['patient'], { aal: 'aal1', patientId }));
  const desk = actor(['receptionist'], {
    clinicIds: [clinic.id],
    staffId: StaffId.parse(uuidv7()),
  });
  const request = (
    patientIndex: number,
    start: string,
    extra: Partial<BookingRequest> = {},
  ): BookingRequest => ({
    clinicId: clinic.id,
    staffId,
    serviceTypeId: serviceType.id,
    patientId: patients[patientIndex]!,
    start,
    idempotencyKey: uuidv7(),
    ...extra,
  });
  const day = {
    clinicId: clinic.id,
    staffId,
    serviceTypeId: serviceType.id,
    from: '2026-03-02T00:00:00.000Z',
    to: '2026-03-03T00:00:00.000Z',
  };
  return {
    appointments,
    clock,
    clinic,
    serviceType,
    group,
    staffId,
    booking,
    patients,
    patientActors,
    desk,
    request,
    day,
    events,
    backgroundErrors,
  };
}

describe('BookingService.listSlots and book', () => {
  it('books a listed slot, after which the slot is no longer listed', async () => {
    const { booking, patientActors, request, day, events } = await setUp();
    const slots = await booking.listSlots(patientActors[0]!, day);
    // Minimum notice of 60 minutes from 07:00 Paris: the first slot is 08:00 (07:00Z).
    expect(slots[0]).toEqual({
      start: '2026-03-02T07:00:00.000Z',
      end: '2026-03-02T07:30:00.000Z',
    });
    const booked = await booking.book(patientActors[0]!, request(0, slots[0]!.start));
    expect(booked).toMatchObject({ status: 'booked', start: slots[0]!.start });
    const after = await booking.listSlots(patientActors[1]!, day);
    // 08:00 is taken and its 5-minute buffer rules out 08:30's neighbour 08:15 as well.
    expect(after.map((slot) => slot.start)).not.toContain('2026-03-02T07:00:00.000Z');
    expect(after.map((slot) => slot.start)).not.toContain('2026-03-02T07:15:00.000Z');
    expect(after[0]?.start).toBe('2026-03-02T07:45:00.000Z');
    expect(events.map((event) => `${event.resourceType}:${event.action}`)).toEqual([
      'Appointment:create',
    ]);
    expect(events[0]?.patientId).toBe(booked.patientId);
  });

  it('refuses a taken slot, an unlisted start and a start inside the notice', async () => {
    const { booking, clock, patientActors, request } = await setUp();
    await booking.book(patientActors[0]!, request(0, '2026-03-02T08:00:00.000Z'));
    await expect(
      booking.book(patientActors[1]!, request(1, '2026-03-02T08:15:00.000Z')),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    await expect(
      booking.book(patientActors[1]!, request(1, '2026-03-02T09:05:00.000Z')),
    ).rejects.toMatchObject({
      reason: 'outside-hours',
    });
    await expect(
      booking.book(patientActors[1]!, request(1, '2026-03-02T06:00:00.000Z')),
    ).rejects.toMatchObject({
      reason: 'outside-hours',
    });
    await clock.advance(30 * MINUTE);
    const tooSoon = booking.book(patientActors[1]!, request(1, '2026-03-02T07:15:00.000Z'));
    await expect(tooSoon).rejects.toBeInstanceOf(SlotOutsideAvailabilityError);
    await expect(tooSoon).rejects.toMatchObject({ reason: 'too-soon', status: 422 });
  });

  it('returns the first answer to a retry with the same idempotency key', async () => {
    const { booking, patientActors, request } = await setUp();
    const first = request(0, '2026-03-02T09:00:00.000Z');
    const booked = await booking.book(patientActors[0]!, first);
    expect(await booking.book(patientActors[0]!, first)).toEqual(booked);
    await expect(
      booking.book(patientActors[0]!, { ...first, start: '2026-03-02T09:30:00.000Z' }),
    ).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    await expect(
      booking.book(patientActors[0]!, { ...first, idempotencyKey: 'short' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      booking.book(patientActors[0]!, { ...first, idempotencyKey: uuidv7(), start: 'tomorrow' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses a patient booking for another patient and staff of other clinics', async () => {
    const { booking, patientActors, request, day } = await setUp();
    await expect(
      booking.book(patientActors[0]!, request(1, '2026-03-02T09:00:00.000Z')),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const elsewhere = actor(['receptionist'], { clinicIds: [] });
    await expect(booking.listSlots(elsewhere, day)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      booking.listSlots(patientActors[0]!, { ...day, serviceTypeId: day.staffId as never }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      booking.listSlots(patientActors[0]!, { ...day, staffId: StaffId.parse(uuidv7()) }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('BookingService input bounds', () => {
  it('refuses a listSlots range from year 0001 to 9999 with a ValidationError in bounded time (day loop not capped by the horizon)', async () => {
    const { booking, patientActors, day } = await setUp();
    // Refused before any read or loop; unfixed, this call walked every day of 8,000 years.
    await expect(
      booking.listSlots(patientActors[0]!, {
        ...day,
        from: '0001-01-01T00:00:00.000Z',
        to: '9999-12-31T00:00:00.000Z',
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [
        {
          path: 'from',
          message: 'must be an instant from 1970-01-01T00:00:00Z to before 2200-01-01T00:00:00Z',
        },
      ],
    });
  });

  it('refuses a listSlots range longer than the maximum span or ending before it starts', async () => {
    const { booking, patientActors, day } = await setUp();
    await expect(
      booking.listSlots(patientActors[0]!, { ...day, to: '2026-05-04T00:00:00.000Z' }),
    ).rejects.toMatchObject({
      issues: [{ path: 'to', message: 'must be at most 62 days after from' }],
    });
    await expect(
      booking.listSlots(patientActors[0]!, { ...day, to: '2026-03-01T00:00:00.000Z' }),
    ).rejects.toMatchObject({ issues: [{ path: 'to', message: 'must not be before from' }] });
  });

  it('refuses a staff override booking in year 9999 or 1900 with a ValidationError (overrides skipped the supported-date window)', async () => {
    const { booking, desk, request, events } = await setUp();
    for (const start of ['9999-03-02T09:00:00.000Z', '1900-03-02T09:00:00.000Z']) {
      await expect(
        booking.overrideBook(desk, { ...request(0, start), reason: 'urgent-care' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [
          {
            path: 'request.start',
            message: 'must be an instant from 1970-01-01T00:00:00Z to before 2200-01-01T00:00:00Z',
          },
        ],
      });
    }
    expect(events).toEqual([]);
  });

  it('refuses holdMinutes -5 with a QueueConfigError naming the option', async () => {
    await expect(setUp({ holdMinutes: -5 })).rejects.toMatchObject({
      code: 'QUEUE_CONFIG_INVALID',
      message: expect.stringContaining('options.holdMinutes must be at least 1') as unknown,
    });
  });

  it('refuses holdMinutes that are fractional or longer than a day', async () => {
    for (const holdMinutes of [2.5, MAX_HOLD_MINUTES + 1]) {
      await expect(setUp({ holdMinutes })).rejects.toBeInstanceOf(QueueConfigError);
    }
    const { booking, patientActors, request } = await setUp({ holdMinutes: MAX_HOLD_MINUTES });
    const hold = await booking.book(
      patientActors[0]!,
      request(0, '2026-03-02T09:00:00.000Z', { hold: true }),
    );
    expect(Date.parse(hold.holdExpiresAt!) - Date.UTC(2026, 2, 2, 6)).toBe(
      MAX_HOLD_MINUTES * 60_000,
    );
  });
});

describe('BookingService holds', () => {
  it('lets a live hold block and an expired hold never block, expiring it in the booking', async () => {
    const { booking, clock, patientActors, request, day, events } = await setUp({
      holdMinutes: 10,
    });
    const hold = await booking.book(
      patientActors[0]!,
      request(0, '2026-03-02T09:00:00.000Z', { hold: true }),
    );
    expect(hold).toMatchObject({ status: 'pending', holdExpiresAt: '2026-03-02T06:10:00.000Z' });
    expect(
      (await booking.listSlots(patientActors[1]!, day)).map((slot) => slot.start),
    ).not.toContain(hold.start);
    await clock.advance(10 * MINUTE - 1);
    await expect(booking.book(patientActors[1]!, request(1, hold.start))).rejects.toBeInstanceOf(
      SlotUnavailableError,
    );
    await clock.advance(1);
    expect((await booking.listSlots(patientActors[1]!, day)).map((slot) => slot.start)).toContain(
      hold.start,
    );
    const rival = await booking.book(patientActors[1]!, request(1, hold.start));
    expect(rival.status).toBe('booked');
    expect(await booking.get(patientActors[0]!, hold.id)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'hold-expired',
    });
    expect(
      events.some((event) => event.action === 'expire-hold' && event.resourceId === hold.id),
    ).toBe(true);
    await expect(booking.confirm(patientActors[0]!, hold.id)).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
  });

  it('confirms a live hold and refuses to confirm a lapsed one', async () => {
    const { booking, clock, patientActors, request } = await setUp({ holdMinutes: 5 });
    const hold = await booking.book(
      patientActors[0]!,
      request(0, '2026-03-02T09:00:00.000Z', { hold: true }),
    );
    const confirmed = await booking.confirm(patientActors[0]!, hold.id);
    expect(confirmed).toMatchObject({ status: 'booked', version: 1 });
    expect(confirmed.holdExpiresAt).toBeUndefined();
    const lapsing = await booking.book(
      patientActors[0]!,
      request(0, '2026-03-02T10:30:00.000Z', { hold: true }),
    );
    await clock.advance(5 * MINUTE);
    await expect(booking.confirm(patientActors[0]!, lapsing.id)).rejects.toBeInstanceOf(
      HoldExpiredError,
    );
  });
});

describe('BookingService.cancel and reschedule', () => {
  it('flags a late cancellation by the patient and not an early one', async () => {
    const { booking, patientActors, desk, request } = await setUp();
    const soon = await booking.book(patientActors[0]!, request(0, '2026-03-02T09:00:00.000Z'));
    const later = await booking.book(patientActors[0]!, request(0, '2026-03-04T09:00:00.000Z'));
    expect(await booking.cancel(patientActors[0]!, soon.id, 'patient-request')).toMatchObject({
      status: 'cancelled',
      lateCancel: true,
      cancellationReason: 'patient-request',
      cancellationDate: '2026-03-02T06:00:00.000Z',
    });
    expect((await booking.cancel(desk, later.id, 'patient-request')).lateCancel).toBe(false);
    await expect(booking.cancel(desk, later.id, 'other')).rejects.toBeInstanceOf(
      InvalidTransitionError,
    );
    await expect(
      booking.cancel(desk, AppointmentId.parse(uuidv7()), 'other'),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses a free-text cancel reason instead of storing it where erasure cannot reach it', async () => {
    const { booking, patientActors, request, events } = await setUp();
    const booked = await booking.book(patientActors[0]!, request(0, '2026-03-04T09:00:00.000Z'));
    const error = await booking
      .cancel(patientActors[0]!, booked.id, 'my ex-husband works there' as 'other')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'reason', message: expect.stringContaining('patient-request') as unknown },
    ]);
    expect((error as Error).message).not.toContain('husband');
    expect(JSON.stringify(events)).not.toContain('husband');
    expect((await booking.get(patientActors[0]!, booked.id)).status).toBe('booked');
  });

  it('moves an appointment atomically and leaves it untouched when the new slot is taken', async () => {
    const { booking, patientActors, request, events } = await setUp();
    const original = await booking.book(patientActors[0]!, request(0, '2026-03-02T09:00:00.000Z'));
    const blocker = await booking.book(patientActors[1]!, request(1, '2026-03-02T11:00:00.000Z'));
    await expect(
      booking.reschedule(patientActors[0]!, original.id, {
        start: blocker.start,
        idempotencyKey: uuidv7(),
      }),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    expect(await booking.get(patientActors[0]!, original.id)).toMatchObject({
      status: 'booked',
      version: 0,
    });
    // Moving by 15 minutes overlaps the old slot, which the same transaction frees first.
    const moved = await booking.reschedule(patientActors[0]!, original.id, {
      start: '2026-03-02T09:15:00.000Z',
      idempotencyKey: uuidv7(),
    });
    expect(moved).toMatchObject({ status: 'booked', previousAppointmentId: original.id });
    expect(await booking.get(patientActors[0]!, original.id)).toMatchObject({
      status: 'cancelled',
      cancellationReason: 'rescheduled',
    });
    expect(
      events.filter((event) => event.category === 'modification').map((event) => event.action),
    ).toEqual(['create', 'create', 'reschedule', 'create']);
  });
});

describe('BookingService overrides, waitlist, no-shows and seats', () => {
  it('lets staff book outside the hours with an audited reason but never over another booking', async () => {
    const { booking, patientActors, desk, request, events } = await setUp();
    const early = await booking.overrideBook(desk, {
      ...request(0, '2026-03-02T06:30:00.000Z'),
      reason: 'urgent-care',
    });
    expect(early.status).toBe('booked');
    expect(events.at(-1)).toMatchObject({
      action: 'override-book',
      metadata: { override: 'urgent-care' },
    });
    await expect(
      booking.overrideBook(desk, {
        ...request(1, '2026-03-02T06:45:00.000Z'),
        reason: 'urgent-care',
      }),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    await expect(
      booking.overrideBook(patientActors[0]!, {
        ...request(0, '2026-03-02T05:00:00.000Z'),
        reason: 'other',
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('offers a freed slot to the oldest matching waitlist entry as a hold it can confirm', async () => {
    const { booking, clinic, serviceType, patients, patientActors, request, backgroundErrors } =
      await setUp();
    const taken = await booking.book(patientActors[0]!, request(0, '2026-03-03T09:00:00.000Z'));
    const late = await booking.joinWaitlist(patientActors[2]!, {
      clinicId: clinic.id,
      patientId: patients[2]!,
      serviceTypeId: serviceType.id,
      earliestAt: '2026-03-04T00:00:00Z',
    });
    const waiting = await booking.joinWaitlist(patientActors[1]!, {
      clinicId: clinic.id,
      patientId: patients[1]!,
      serviceTypeId: serviceType.id,
    });
    await booking.cancel(patientActors[0]!, taken.id, 'patient-request');
    const offered = await booking.getWaitlistEntry(patientActors[1]!, waiting.id);
    expect(offered.status).toBe('offered');
    const hold = await booking.get(patientActors[1]!, offered.offeredAppointmentId!);
    expect(hold).toMatchObject({ status: 'pending', start: taken.start, patientId: patients[1] });
    await booking.confirm(patientActors[1]!, hold.id);
    expect((await booking.getWaitlistEntry(patientActors[1]!, waiting.id)).status).toBe('booked');
    expect((await booking.getWaitlistEntry(patientActors[2]!, late.id)).status).toBe('waiting');
    await expect(booking.getWaitlistEntry(patientActors[0]!, waiting.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(booking.getWaitlistEntry(patientActors[0]!, uuidv7())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(backgroundErrors).toEqual([]);
  });

  it('marks booked appointments no-show only once the grace period has passed', async () => {
    const { booking, clock, clinic, patientActors, desk, request } = await setUp();
    const visit = await booking.book(patientActors[0]!, request(0, '2026-03-02T08:00:00.000Z'));
    const arrivedLater = await booking.book(
      patientActors[1]!,
      request(1, '2026-03-02T09:00:00.000Z'),
    );
    clock.set(Date.parse(visit.start) + 15 * MINUTE - 1);
    expect(await booking.markNoShows(desk, clinic.id)).toEqual([]);
    clock.set(Date.parse(visit.start) + 15 * MINUTE);
    expect(await booking.markNoShows(desk, clinic.id)).toEqual([visit.id]);
    expect((await booking.get(desk, visit.id)).status).toBe('noshow');
    expect((await booking.get(desk, arrivedLater.id)).status).toBe('booked');
    await expect(booking.markNoShows(patientActors[0]!, clinic.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it('seats a group session up to its capacity and lists it while seats are free', async () => {
    const { booking, group, patientActors, request, day } = await setUp({ capacity: 2 });
    const groupDay = { ...day, serviceTypeId: group.id };
    const start = '2026-03-02T08:00:00.000Z';
    const first = await booking.book(
      patientActors[0]!,
      request(0, start, { serviceTypeId: group.id }),
    );
    expect(
      (await booking.listSlots(patientActors[1]!, groupDay)).map((slot) => slot.start),
    ).toContain(start);
    const second = await booking.book(
      patientActors[1]!,
      request(1, start, { serviceTypeId: group.id }),
    );
    expect(second.start).toBe(first.start);
    expect(
      (await booking.listSlots(patientActors[2]!, groupDay)).map((slot) => slot.start),
    ).not.toContain(start);
    await expect(
      booking.book(patientActors[2]!, request(2, start, { serviceTypeId: group.id })),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
    await booking.cancel(patientActors[0]!, first.id, 'patient-request');
    const third = await booking.book(
      patientActors[2]!,
      request(2, start, { serviceTypeId: group.id }),
    );
    expect(third.status).toBe('booked');
    await expect(
      booking.book(patientActors[3]!, request(3, '2026-03-02T08:30:00.000Z')),
    ).rejects.toBeInstanceOf(SlotUnavailableError);
  });
});

/** An idempotency store whose process stops right after the booking committed, once. */
function crashingAfterCommit(clock: FakeClock, crashOn = 1): IdempotencyStore {
  const inner = memoryIdempotencyStore({ clock });
  let completions = 0;
  const store: IdempotencyStore = {
    claim: (...args) => inner.claim(...args),
    release: (...args) => inner.release(...args),
    complete: (...args) => {
      completions += 1;
      if (completions === crashOn) {
        return Promise.reject(new Error('process stopped before recording the answer'));
      }
      return inner.complete(...args);
    },
  };
  return store;
}

describe('BookingService idempotency across a crash after the commit', () => {
  it('answers a retry with the appointment the crashed attempt committed, and books once', async () => {
    const { booking, clock, appointments, patientActors, request, staffId, events } = await setUp({
      idempotencyStore: crashingAfterCommit,
    });
    const first = request(0, '2026-03-02T09:00:00.000Z');
    await expect(booking.book(patientActors[0]!, first)).rejects.toThrow('process stopped');
    // The crashed attempt's claim lapses (lockTtlMs, 60 s by default); the retry claims anew.
    await clock.advance(2 * MINUTE);
    const retried = await booking.book(patientActors[0]!, first);
    expect(retried).toMatchObject({ status: 'booked', start: first.start });
    const rows = await appointments.listOccupying(tenantId, staffId, {
      start: '2026-03-02T00:00:00.000Z',
      end: '2026-03-03T00:00:00.000Z',
    });
    expect(rows.map((row) => row.id)).toEqual([retried.id]);
    expect(events.filter((event) => event.resourceType === 'Appointment')).toHaveLength(1);
    // The answer is now recorded too, and the same key with another request is refused.
    expect(await booking.book(patientActors[0]!, first)).toEqual(retried);
    await expect(
      booking.book(patientActors[0]!, { ...first, start: '2026-03-02T10:00:00.000Z' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('refuses a different request under the key when only the appointment row knows it', async () => {
    const { booking, clock, patientActors, request } = await setUp({
      idempotencyStore: crashingAfterCommit,
    });
    const first = request(0, '2026-03-02T09:00:00.000Z');
    await expect(booking.book(patientActors[0]!, first)).rejects.toThrow('process stopped');
    await clock.advance(2 * MINUTE);
    await expect(
      booking.book(patientActors[0]!, { ...first, start: '2026-03-02T10:00:00.000Z' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('answers a retried reschedule with the moved appointment after a crash', async () => {
    const { booking, clock, appointments, patientActors, request, staffId } = await setUp({
      idempotencyStore: (fake) => crashingAfterCommit(fake, 2),
    });
    const visit = await booking.book(patientActors[0]!, request(0, '2026-03-02T09:00:00.000Z'));
    const move = { start: '2026-03-02T10:00:00.000Z', idempotencyKey: uuidv7() };
    await expect(booking.reschedule(patientActors[0]!, visit.id, move)).rejects.toThrow(
      'process stopped',
    );
    await clock.advance(2 * MINUTE);
    const moved = await booking.reschedule(patientActors[0]!, visit.id, move);
    expect(moved).toMatchObject({ start: move.start, previousAppointmentId: visit.id });
    const rows = await appointments.listOccupying(tenantId, staffId, {
      start: '2026-03-02T00:00:00.000Z',
      end: '2026-03-03T00:00:00.000Z',
    });
    expect(rows.map((row) => row.id)).toEqual([moved.id]);
  });
});

describe('BookingService lapsed waitlist offers', () => {
  async function offered() {
    const world = await setUp();
    const { booking, clinic, serviceType, patients, patientActors, request } = world;
    const taken = await booking.book(patientActors[0]!, request(0, '2026-03-03T09:00:00.000Z'));
    const join = (index: number) =>
      booking.joinWaitlist(patientActors[index]!, {
        clinicId: clinic.id,
        patientId: patients[index]!,
        serviceTypeId: serviceType.id,
      });
    const first = await join(1);
    const second = await join(2);
    await booking.cancel(patientActors[0]!, taken.id, 'patient-request');
    const offer = await booking.getWaitlistEntry(patientActors[1]!, first.id);
    expect(offer.status).toBe('offered');
    return { ...world, taken, first, second, holdId: offer.offeredAppointmentId! };
  }

  it('returns the entry to waiting when a booking expires the offered hold in its way', async () => {
    const { booking, clock, patientActors, request, taken, first, holdId, events } =
      await offered();
    await clock.advance(10 * MINUTE);
    await booking.book(patientActors[3]!, request(3, taken.start));
    const entry = await booking.getWaitlistEntry(patientActors[1]!, first.id);
    expect(entry.status).toBe('waiting');
    expect(entry.offeredAppointmentId).toBeUndefined();
    expect((await booking.get(patientActors[1]!, holdId)).cancellationReason).toBe('hold-expired');
    expect(
      events.filter((event) => event.resourceType === 'WaitlistEntry').map((event) => event.action),
    ).toContain('offer-lapsed');
  });

  it('sweeps a lapsed offer back to waiting and offers the slot to the next entry', async () => {
    const { booking, clock, desk, clinic, patientActors, taken, first, second, holdId } =
      await offered();
    expect(await booking.expireLapsedOffers(desk, clinic.id)).toEqual([]);
    await clock.advance(10 * MINUTE);
    expect(await booking.expireLapsedOffers(desk, clinic.id)).toEqual([first.id]);
    expect((await booking.get(desk, holdId)).status).toBe('cancelled');
    const firstEntry = await booking.getWaitlistEntry(patientActors[1]!, first.id);
    expect(firstEntry).toMatchObject({ status: 'waiting' });
    const next = await booking.getWaitlistEntry(patientActors[2]!, second.id);
    expect(next.status).toBe('offered');
    expect(await booking.get(patientActors[2]!, next.offeredAppointmentId!)).toMatchObject({
      status: 'pending',
      start: taken.start,
    });
    // When that offer lapses too, the slot goes back to the first entry, which waited again.
    await clock.advance(10 * MINUTE);
    expect(await booking.expireLapsedOffers(desk, clinic.id)).toEqual([second.id]);
    const again = await booking.getWaitlistEntry(patientActors[1]!, first.id);
    expect(again.status).toBe('offered');
    expect(again.offeredAppointmentId).not.toBe(holdId);
  });

  it('lapses the offer without offering when the slot is no longer bookable', async () => {
    const world = await setUp();
    const { booking, clock, desk, clinic, serviceType, patients, patientActors, request } = world;
    // 08:00 Paris is bookable at 07:00 with its 60 minutes of notice, and no longer 10 minutes later.
    const taken = await booking.book(patientActors[0]!, request(0, '2026-03-02T07:00:00.000Z'));
    for (const index of [1, 2]) {
      await booking.joinWaitlist(patientActors[index]!, {
        clinicId: clinic.id,
        patientId: patients[index]!,
        serviceTypeId: serviceType.id,
      });
    }
    await booking.cancel(patientActors[0]!, taken.id, 'patient-request');
    await clock.advance(10 * MINUTE);
    const reopened = await booking.expireLapsedOffers(desk, clinic.id);
    expect(reopened).toHaveLength(1);
    for (const id of reopened) {
      expect((await booking.getWaitlistEntry(desk, id)).status).toBe('waiting');
    }
    expect(await booking.expireLapsedOffers(desk, clinic.id)).toEqual([]);
  });

  it('lets only clinic operators sweep, and only known clinics', async () => {
    const { booking, desk, clinic, patientActors } = await setUp();
    await expect(booking.expireLapsedOffers(patientActors[0]!, clinic.id)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const unknownClinic = ClinicId.parse(uuidv7());
    await expect(booking.expireLapsedOffers(desk, unknownClinic)).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const worker = actor(['service']);
    await expect(booking.expireLapsedOffers(worker, unknownClinic)).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
