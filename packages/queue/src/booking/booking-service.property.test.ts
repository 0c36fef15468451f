import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
import {
  AppointmentId,
  createFakeClock,
  PatientId,
  StaffId,
  TenantId,
  UserId,
  uuidv7,
} from '@carequeue/core';
import type { Actor } from '@carequeue/core';
import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryClinicRepository, memoryServiceTypeRepository } from '../clinics/index.js';
import { SlotUnavailableError } from '../errors.js';
import { memoryScheduleRepository } from '../staff/index.js';
import { sampleClinic } from '../testing/clinic-repository-contract.js';
import { sampleServiceType } from '../testing/service-type-repository-contract.js';
import { appointmentsConflict } from './appointment-busy-range.js';
import { createBookingService } from './booking-service.js';
import { memoryBookingUnitOfWork } from './memory/booking-unit-of-work.js';
import { memoryAppointmentRepository } from './memory/appointment-repository.js';
import { storedPatients } from '../../test/memory-contract-fixtures.js';

const MINUTE = 60_000;
const tenantId = TenantId.parse(uuidv7());

type Step =
  | { kind: 'book'; slot: number; patient: number; hold: boolean; service: number }
  | { kind: 'cancel'; which: number }
  | { kind: 'wait'; minutes: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('book' as const),
    slot: fc.nat(),
    patient: fc.nat({ max: 3 }),
    hold: fc.boolean(),
    service: fc.nat({ max: 1 }),
  }),
  fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.integer({ min: 1, max: 20 }) }),
);

describe('BookingService properties', () => {
  it('keeps listed slots bookable and occupying appointments disjoint under any sequence', async () => {
    let bookings = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
        const clock = createFakeClock(Date.UTC(2026, 2, 1, 12));
        const clinic = sampleClinic(tenantId, { timeZone: 'America/New_York' });
        const types = [
          sampleServiceType(tenantId, clinic.id, {
            durationMinutes: 30,
            bufferBeforeMinutes: 0,
            bufferAfterMinutes: 10,
          }),
          sampleServiceType(tenantId, clinic.id, {
            durationMinutes: 45,
            bufferBeforeMinutes: 5,
            bufferAfterMinutes: 0,
          }),
        ];
        const staffId = StaffId.parse(uuidv7());
        const clinics = memoryClinicRepository();
        const serviceTypes = memoryServiceTypeRepository();
        const schedules = memoryScheduleRepository();
        const appointments = memoryAppointmentRepository();
        await clinics.insert(clinic);
        for (const type of types) await serviceTypes.insert(type);
        // Sunday 8 March 2026 is the New York spring-forward day; the hours span the gap.
        await schedules.save({
          tenantId,
          clinicId: clinic.id,
          staffId,
          timeZone: 'America/New_York',
          weeklyHours: [
            {
              day: 'sunday',
              start: '00:00',
              end: '06:00',
              breaks: [{ start: '04:00', end: '04:30' }],
            },
          ],
          dateOverrides: [],
          updatedAt: clinic.createdAt,
          version: 0,
        });
        const auditStore = memoryAuditStore();
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
          idempotency: createIdempotency({ store: memoryIdempotencyStore({ clock }), clock }),
          holdMinutes: 15,
        });
        const actors: Actor[] = patients.map((patientId) => ({
          userId: UserId.parse(uuidv7()),
          tenantId,
          roles: ['patient'],
          aal: 'aal1',
          patientId,
        }));
        const window = { from: '2026-03-08T04:00:00.000Z', to: '2026-03-08T12:00:00.000Z' };
        const booked: string[] = [];
        for (const step of steps) {
          if (step.kind === 'wait') {
            await clock.advance(step.minutes * MINUTE);
            continue;
          }
          if (step.kind === 'cancel') {
            const id = booked[step.which % Math.max(1, booked.length)];
            if (id === undefined) continue;
            const current = await appointments.get(tenantId, AppointmentId.parse(id));
            if (current?.status !== 'booked' && current?.status !== 'pending') continue;
            await booking.cancel(
              actors[0]!.patientId === current.patientId
                ? actors[0]!
                : actors[patients.indexOf(current.patientId)]!,
              current.id,
              'patient-request',
            );
            continue;
          }
          const type = types[step.service]!;
          const query = { clinicId: clinic.id, staffId, serviceTypeId: type.id, ...window };
          const listed = await booking.listSlots(actors[step.patient]!, query);
          const slot = listed[step.slot % Math.max(1, listed.length)];
          if (slot === undefined) continue;
          const made = await booking.book(actors[step.patient]!, {
            clinicId: clinic.id,
            staffId,
            serviceTypeId: type.id,
            patientId: patients[step.patient]!,
            start: slot.start,
            idempotencyKey: uuidv7(),
            hold: step.hold,
          });
          booked.push(made.id);
          bookings += 1;
          const again = await booking.listSlots(actors[(step.patient + 1) % 4]!, query);
          expect(again.map((s) => s.start)).not.toContain(slot.start);
          await expect(
            booking.book(actors[(step.patient + 1) % 4]!, {
              clinicId: clinic.id,
              staffId,
              serviceTypeId: type.id,
              patientId: patients[(step.patient + 1) % 4]!,
              start: slot.start,
              idempotencyKey: uuidv7(),
            }),
          ).rejects.toBeInstanceOf(SlotUnavailableError);
        }
        const live = await appointments.listOccupying(tenantId, staffId, {
          start: window.from,
          end: window.to,
        });
        for (const a of live)
          for (const b of live) if (a.id !== b.id) expect(appointmentsConflict(a, b)).toBe(false);
        for (const a of live) {
          // After the spring-forward the zone is EDT: the 04:00-04:30 break is 08:00-08:30Z and
          // closing at 06:00 is 10:00Z.
          expect(a.start < '2026-03-08T08:30:00.000Z' && a.end > '2026-03-08T08:00:00.000Z').toBe(
            false,
          );
          expect(a.end <= '2026-03-08T10:00:00.000Z').toBe(true);
        }
      }),
      { numRuns: 60 },
    );
    // The sequences really book: the property is not satisfied by empty calendars.
    expect(bookings).toBeGreaterThan(60);
  });
});
