/**
 * The argument schemas of the booking service, built from core's id, `Timestamp` and
 * `CancellationReason` schemas. Instants are checked for their format here; their range (the
 * supported dates, the maximum span) is checked by availability's bounds (ADR 0013).
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import {
  ActorSchema,
  AppointmentId,
  CancellationReason,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  Timestamp,
} from '@carequeue/core';
import type { OverrideReason } from './booking-requests.js';
import { WaitlistEntryRow } from './ports/checked-waitlist-repository.js';

/** 8-200 letters, digits or `_ . : -`: enough for a UUID, never room for patient data. */
const IdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,200}$/, {
  message: 'must be 8-200 letters, digits or _ . : - (a random UUID works)',
});

const OVERRIDE_REASONS = [
  'urgent-care',
  'clinician-request',
  'schedule-exception',
  'other',
] as const satisfies readonly OverrideReason[];

const slot = {
  clinicId: ClinicId,
  staffId: StaffId,
  serviceTypeId: ServiceTypeId,
};

const SlotQueryInput = z.strictObject({ ...slot, from: Timestamp, to: Timestamp });

const booked = {
  ...slot,
  patientId: PatientId,
  start: Timestamp,
  idempotencyKey: IdempotencyKey,
};

const BookingRequestInput = z.strictObject({ ...booked, hold: z.boolean().optional() });

const OverrideRequestInput = z.strictObject({ ...booked, reason: z.enum(OVERRIDE_REASONS) });

const RescheduleRequestInput = z.strictObject({
  start: Timestamp,
  staffId: StaffId.optional(),
  idempotencyKey: IdempotencyKey,
});

const WaitlistRequestInput = z.strictObject(
  WaitlistEntryRow.pick({
    clinicId: true,
    patientId: true,
    serviceTypeId: true,
    staffId: true,
    earliestAt: true,
    latestAt: true,
  }).shape,
);

/** Argument schemas of each `BookingService` method, keyed by method name. */
export const bookingArguments = {
  listSlots: z.object({ actor: ActorSchema, query: SlotQueryInput }),
  book: z.object({ actor: ActorSchema, request: BookingRequestInput }),
  overrideBook: z.object({ actor: ActorSchema, request: OverrideRequestInput }),
  byId: z.object({ actor: ActorSchema, id: AppointmentId }),
  cancel: z.object({ actor: ActorSchema, id: AppointmentId, reason: CancellationReason }),
  reschedule: z.object({ actor: ActorSchema, id: AppointmentId, request: RescheduleRequestInput }),
  joinWaitlist: z.object({ actor: ActorSchema, request: WaitlistRequestInput }),
  // Waitlist entry ids are UUIDs without a brand of their own.
  getWaitlistEntry: z.object({ actor: ActorSchema, id: z.uuid() }),
  byClinic: z.object({ actor: ActorSchema, clinicId: ClinicId }),
};
