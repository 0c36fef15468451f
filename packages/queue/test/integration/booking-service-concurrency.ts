import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
import { createFakeClock, PatientId, StaffId, TenantId, UserId, uuidv7 } from '@carequeue/core';
import type { Actor, ServiceTypeId } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
import { expect } from 'vitest';
import type { StoredAppointment } from '../../src/booking/ports/appointment-repository.js';
import { sqlAppointmentRepository } from '../../src/booking/postgres/appointment-repository.js';
import { sqlBookingUnitOfWork } from '../../src/booking/postgres/booking-unit-of-work.js';
import type { BookingUnitOfWork } from '../../src/booking/ports/booking-unit-of-work.js';
import { createBookingService } from '../../src/booking/booking-service.js';
import type { BookingRequest, BookingService } from '../../src/booking/booking-service.js';
import { memoryBookingUnitOfWork } from '../../src/booking/memory/booking-unit-of-work.js';
import { memoryAppointmentRepository } from '../../src/booking/memory/appointment-repository.js';
import { memoryClinicRepository } from '../../src/clinics/memory/clinic-repository.js';
import { memoryServiceTypeRepository } from '../../src/clinics/memory/service-type-repository.js';
import { SlotUnavailableError } from '../../src/errors.js';
import { memoryScheduleRepository } from '../../src/staff/memory/schedule-repository.js';
import { sampleClinic } from '../../src/testing/clinic-repository-contract.js';
import { sampleServiceType } from '../../src/testing/service-type-repository-contract.js';
import { patientActor, seedBookingWorld } from './booking-fixtures.js';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import type { AuditStore } from '@carequeue/audit';
import { storedPatients } from '../memory-contract-fixtures.js';

const MINUTE = 60_000;

/** A service type of the contention test: its visit length and buffers. */
export interface ContentionServiceType {
  readonly id: ServiceTypeId;
  readonly durationMinutes: number;
  readonly bufferBeforeMinutes: number;
  readonly bufferAfterMinutes: number;
}

/** The lengths booked against each other: 15 to 60 minutes, with and without buffers. */
export const CONTENTION_LENGTHS = [
  { durationMinutes: 15, bufferBeforeMinutes: 0, bufferAfterMinutes: 0 },
  { durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 5 },
  { durationMinutes: 45, bufferBeforeMinutes: 5, bufferAfterMinutes: 0 },
  { durationMinutes: 60, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 },
] as const;

/** A booking service with one staff member open 08:00-18:00 and the contention service types. */
export interface ContentionSetup {
  readonly booking: BookingService;
  readonly patients: readonly Actor[];
  readonly request: (index: number, serviceTypeId: ServiceTypeId, start: string) => BookingRequest;
  readonly types: readonly ContentionServiceType[];
  /** Every occupying appointment of the staff member on the contention day. */
  readonly occupying: () => Promise<StoredAppointment[]>;
}

const busyOf = (start: number, type: ContentionServiceType) => ({
  start: start - type.bufferBeforeMinutes * MINUTE,
  end: start + (type.durationMinutes + type.bufferAfterMinutes) * MINUTE,
});

/**
 * `attempts` patients book at once through `BookingService.book`, each with its own idempotency
 * key, overlapping starts on a 15-minute grid (Tuesday 3 March 2026 from 08:00 Paris) and
 * lengths of 15 to 60 minutes. No two occupying appointments may overlap (buffers included),
 * the occupying rows are exactly the winners, and every loser got `SlotUnavailableError` and
 * overlaps at least one winner.
 */
export async function expectNoOverlapAmongConcurrentBookings(
  setup: ContentionSetup,
  attempts: number,
): Promise<void> {
  const dayStart = Date.parse('2026-03-03T07:00:00.000Z');
  const plans = Array.from({ length: attempts }, (_, index) => ({
    type: setup.types[index % setup.types.length]!,
    // 16 starts over four hours, visited in a scattered order.
    start: dayStart + ((index * 7) % 16) * 15 * MINUTE,
  }));
  const outcomes = await Promise.allSettled(
    plans.map((plan, index) =>
      setup.booking.book(
        setup.patients[index]!,
        setup.request(index, plan.type.id, new Date(plan.start).toISOString()),
      ),
    ),
  );
  const typeOf = new Map(setup.types.map((type) => [type.id, type]));
  const winners = outcomes.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value] : [],
  );
  const winnerRanges = winners.map((winner) =>
    busyOf(Date.parse(winner.start), typeOf.get(winner.serviceTypeId)!),
  );
  expect(winners.length).toBeGreaterThan(0);
  expect(winners.length).toBeLessThan(attempts);
  for (const [index, range] of winnerRanges.entries()) {
    for (const other of winnerRanges.slice(index + 1)) {
      expect(range.start < other.end && other.start < range.end).toBe(false);
    }
  }
  for (const [index, outcome] of outcomes.entries()) {
    if (outcome.status === 'fulfilled') continue;
    expect(outcome.reason).toBeInstanceOf(SlotUnavailableError);
    const mine = busyOf(plans[index]!.start, plans[index]!.type);
    expect(winnerRanges.some((range) => range.start < mine.end && mine.start < range.end)).toBe(
      true,
    );
  }
  const occupying = await setup.occupying();
  expect(occupying.map((row) => row.id).sort()).toEqual(winners.map((row) => row.id).sort());
}

/** The contention setup on the in-memory stores. */
export async function memoryContentionSetup(attempts: number): Promise<ContentionSetup> {
  const tenantId = TenantId.parse(uuidv7());
  const clinic = sampleClinic(tenantId, { timeZone: 'Europe/Paris' });
  const clinics = memoryClinicRepository();
  const serviceTypes = memoryServiceTypeRepository();
  const schedules = memoryScheduleRepository();
  const appointments = memoryAppointmentRepository();
  await clinics.insert(clinic);
  const types: ContentionServiceType[] = [];
  for (const length of CONTENTION_LENGTHS) {
    const type = sampleServiceType(tenantId, clinic.id, length);
    await serviceTypes.insert(type);
    types.push({ id: type.id, ...length });
  }
  const staffId = StaffId.parse(uuidv7());
  await schedules.save({
    tenantId,
    clinicId: clinic.id,
    staffId,
    timeZone: 'Europe/Paris',
    weeklyHours: [{ day: 'tuesday', start: '08:00', end: '18:00', breaks: [] }],
    dateOverrides: [],
    updatedAt: clinic.createdAt,
    version: 0,
  });
  const auditStore = memoryAuditStore();
  const patientIds = Array.from({ length: attempts }, () => PatientId.parse(uuidv7()));
  const patients = await storedPatients(tenantId, patientIds);
  const booking = contentionService(
    memoryBookingUnitOfWork({
      auditStore,
      clinics,
      serviceTypes,
      schedules,
      appointments,
      patients,
    }),
    auditStore,
  );
  return {
    booking,
    types,
    patients: patientIds.map((patientId) => ({
      userId: UserId.parse(uuidv7()),
      tenantId,
      roles: ['patient'],
      aal: 'aal1',
      patientId,
    })),
    request: (index, serviceTypeId, start) => ({
      clinicId: clinic.id,
      staffId,
      serviceTypeId,
      patientId: patientIds[index]!,
      start,
      idempotencyKey: uuidv7(),
    }),
    occupying: () =>
      appointments.listOccupying(tenantId, staffId, {
        start: '2026-03-03T00:00:00.000Z',
        end: '2026-03-04T00:00:00.000Z',
      }),
  };
}

function contentionService(unitOfWork: BookingUnitOfWork, auditStore: AuditStore): BookingService {
  // Monday 2 March 2026, 07:00 in Paris: the contention day is bookable.
  const clock = createFakeClock(Date.UTC(2026, 2, 2, 6));
  return createBookingService({
    unitOfWork,
    audit: createAuditLogService({ store: auditStore, clock }),
    clock,
    idempotency: createIdempotency({ store: memoryIdempotencyStore({ clock }), clock }),
  });
}

/** The contention setup on a SQL store, each patient booking under row-level security. */
export async function sqlContentionSetup(
  executor: SqlExecutor,
  attempts: number,
): Promise<ContentionSetup> {
  const world = await seedBookingWorld(executor, { patients: attempts });
  const types: ContentionServiceType[] = [];
  await asServiceRole(executor, async (tx) => {
    for (const length of CONTENTION_LENGTHS) {
      const id = uuidv7() as ServiceTypeId;
      await tx.query(
        `INSERT INTO queue.service_types (id, tenant_id, clinic_id, name, duration_minutes,
           buffer_before_minutes, buffer_after_minutes, created_at, updated_at, version)
         VALUES ($1, $2, $3, 'Visit', $4, $5, $6, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', 0)`,
        [
          id,
          world.tenantId,
          world.clinicId,
          length.durationMinutes,
          length.bufferBeforeMinutes,
          length.bufferAfterMinutes,
        ],
      );
      types.push({ id, ...length });
    }
  });
  const staffId = world.staffIds[0]!;
  return {
    booking: contentionService(
      sqlBookingUnitOfWork({ executor }),
      postgresAuditStore({ executor }),
    ),
    types,
    patients: world.patientIds.map((patientId) => patientActor(world, patientId)),
    request: (index, serviceTypeId, start) => ({
      clinicId: world.clinicId,
      staffId,
      serviceTypeId,
      patientId: world.patientIds[index]!,
      start,
      idempotencyKey: uuidv7(),
    }),
    occupying: () =>
      asServiceRole(executor, (tx) =>
        sqlAppointmentRepository({ executor: tx }).listOccupying(world.tenantId, staffId, {
          start: '2026-03-03T00:00:00.000Z',
          end: '2026-03-04T00:00:00.000Z',
        }),
      ),
  };
}
