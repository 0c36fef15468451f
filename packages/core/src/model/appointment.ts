/**
 * The appointment aggregate, with FHIR `AppointmentStatus` codes and its state machine.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { AppointmentId, ClinicId, PatientId, ServiceTypeId, StaffId, TenantId } from '../ids.js';
import { phi } from '../phi.js';
import { Timestamp, Version } from './common.js';
import { multiLine } from './text.js';
import type { TransitionTable } from './transitions.js';

/**
 * FHIR `AppointmentStatus` codes, verbatim (the same in R4, R4B and R5).
 *
 * @example
 * ```ts
 * APPOINTMENT_STATUSES.includes('checked-in'); // true
 * ```
 */
export const APPOINTMENT_STATUSES = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
] as const;

/**
 * An appointment status.
 *
 * @example
 * ```ts
 * AppointmentStatus.parse('booked');
 * ```
 */
export const AppointmentStatus = z.enum(APPOINTMENT_STATUSES);
/** A parsed {@link AppointmentStatus}. */
export type AppointmentStatus = z.output<typeof AppointmentStatus>;

/**
 * Statuses that hold a slot: exactly the predicate of the database's no-overlap constraint.
 *
 * @example
 * ```ts
 * SLOT_OCCUPYING_STATUSES.includes(appointment.status);
 * ```
 */
export const SLOT_OCCUPYING_STATUSES: readonly AppointmentStatus[] = [
  'pending',
  'booked',
  'arrived',
  'checked-in',
];

/**
 * Why an appointment was cancelled.
 *
 * @example
 * ```ts
 * CancellationReason.parse('rescheduled');
 * ```
 */
export const CancellationReason = z.enum([
  'patient-request',
  'clinic-request',
  'rescheduled',
  'hold-expired',
  'rejected',
  'other',
]);
/** A parsed {@link CancellationReason}. */
export type CancellationReason = z.output<typeof CancellationReason>;

/**
 * The appointment state machine. Every status except `entered-in-error` may also move to
 * `entered-in-error` (a record made by mistake, excluded from statistics).
 *
 * @example
 * ```ts
 * canTransition(appointmentTransitions, 'pending', 'booked'); // true
 * ```
 */
export const appointmentTransitions: TransitionTable<AppointmentStatus> = {
  entity: 'appointment',
  initial: ['proposed', 'pending', 'booked', 'waitlist'],
  transitions: {
    proposed: ['pending', 'booked', 'entered-in-error'],
    pending: ['booked', 'cancelled', 'entered-in-error'],
    waitlist: ['booked', 'cancelled', 'entered-in-error'],
    booked: ['arrived', 'checked-in', 'cancelled', 'noshow', 'entered-in-error'],
    // A patient who arrived and was queued but did not come when called: the visit did not
    // take place, so the appointment ends as a no-show (ADR 0011).
    arrived: ['checked-in', 'fulfilled', 'noshow', 'entered-in-error'],
    'checked-in': ['fulfilled', 'entered-in-error'],
    fulfilled: ['entered-in-error'],
    cancelled: ['entered-in-error'],
    noshow: ['entered-in-error'],
    'entered-in-error': [],
  },
};

/**
 * An appointment of a patient with a staff member for a service type.
 *
 * @example
 * ```ts
 * const appointment = parseOrThrow(Appointment, row, 'appointment');
 * ```
 */
export const Appointment = z
  .object({
    id: AppointmentId,
    tenantId: TenantId,
    clinicId: ClinicId,
    patientId: PatientId,
    staffId: StaffId,
    serviceTypeId: ServiceTypeId,
    status: AppointmentStatus,
    start: Timestamp,
    end: Timestamp,
    /** When a `pending` hold lapses. */
    holdExpiresAt: Timestamp.optional(),
    cancellationReason: CancellationReason.optional(),
    cancellationDate: Timestamp.optional(),
    /** Cancelled within the clinic's late-cancel window. */
    lateCancel: z.boolean().default(false),
    /** The appointment this one replaces after a reschedule. */
    previousAppointmentId: AppointmentId.optional(),
    /** Free-text notes written by staff. */
    notes: phi('direct', multiLine(z.string().max(4000))).optional(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    version: Version,
  })
  .refine((appointment) => Date.parse(appointment.start) < Date.parse(appointment.end), {
    message: 'must end after it starts',
    path: ['end'],
  });
/** A parsed {@link Appointment}. */
export type Appointment = z.output<typeof Appointment>;
