/**
 * The waitlist: patients waiting to be offered a freed slot.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { AppointmentId, ClinicId, PatientId, ServiceTypeId, StaffId, TenantId } from '../ids.js';
import { Timestamp, Version } from './common.js';

/**
 * Where a waitlist entry stands: `waiting` for a freed slot, `offered` a hold on one, `booked`
 * once the patient confirmed it, `cancelled` when withdrawn.
 *
 * @example
 * ```ts
 * WaitlistStatus.parse('offered');
 * ```
 */
export const WaitlistStatus = z.enum(['waiting', 'offered', 'booked', 'cancelled']);
/** A parsed {@link WaitlistStatus}. */
export type WaitlistStatus = z.output<typeof WaitlistStatus>;

/**
 * A patient waiting for a slot of a service type at a clinic, optionally with one staff member
 * and within a time window.
 *
 * @example
 * ```ts
 * const entry = parseOrThrow(WaitlistEntry, row, 'waitlist entry');
 * ```
 */
export const WaitlistEntry = z.object({
  id: z.uuid(),
  tenantId: TenantId,
  clinicId: ClinicId,
  patientId: PatientId,
  serviceTypeId: ServiceTypeId,
  /** Only slots of this staff member, when set. */
  staffId: StaffId.optional(),
  /** Only slots starting at or after this time, when set. */
  earliestAt: Timestamp.optional(),
  /** Only slots starting at or before this time, when set. */
  latestAt: Timestamp.optional(),
  status: WaitlistStatus,
  /** The hold offered to the patient, while `offered` or once `booked`. */
  offeredAppointmentId: AppointmentId.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});
/** A parsed {@link WaitlistEntry}. */
export type WaitlistEntry = z.output<typeof WaitlistEntry>;
