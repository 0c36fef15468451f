/**
 * What callers send to the booking service and get back: slot queries, booking, override,
 * reschedule and waitlist requests.
 *
 * @packageDocumentation
 */
import type { ClinicId, PatientId, ServiceTypeId, StaffId } from '@carequeue/core';

/**
 * Which slots to list: one staff member and service type at a clinic, starts in `[from, to)`.
 *
 * @example
 * ```ts
 * const query: SlotQuery = { clinicId, staffId, serviceTypeId, from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z' };
 * ```
 */
export interface SlotQuery {
  readonly clinicId: ClinicId;
  readonly staffId: StaffId;
  readonly serviceTypeId: ServiceTypeId;
  readonly from: string;
  readonly to: string;
}

export type { AvailableSlot } from '@carequeue/core';

/**
 * A booking request. `idempotencyKey` is chosen by the client (8-200 characters of letters,
 * digits, `_ . : -`, never anything about the patient) and sent again on a retry.
 *
 * @example
 * ```ts
 * const request: BookingRequest = { clinicId, staffId, serviceTypeId, patientId, start: '2026-03-02T08:00:00.000Z', idempotencyKey: crypto.randomUUID() };
 * ```
 */
export interface BookingRequest {
  readonly clinicId: ClinicId;
  readonly staffId: StaffId;
  readonly serviceTypeId: ServiceTypeId;
  readonly patientId: PatientId;
  readonly start: string;
  readonly idempotencyKey: string;
  /** Take a pending hold that lapses unless confirmed, instead of booking outright. @default false */
  readonly hold?: boolean;
}

/**
 * Why staff book outside the availability rules; recorded in the audit trail.
 *
 * @example
 * ```ts
 * const reason: OverrideReason = 'urgent-care';
 * ```
 */
export type OverrideReason = 'urgent-care' | 'clinician-request' | 'schedule-exception' | 'other';

/**
 * A staff booking that skips the availability rules (hours, notice, horizon). Overlaps are still
 * refused: no one can double-book. The start must still lie in the supported dates
 * (`EARLIEST_SUPPORTED_INSTANT` to `END_OF_SUPPORTED_INSTANTS`).
 *
 * @example
 * ```ts
 * const request: OverrideRequest = { ...bookingRequest, reason: 'urgent-care' };
 * ```
 */
export interface OverrideRequest extends Omit<BookingRequest, 'hold'> {
  readonly reason: OverrideReason;
}

/**
 * Moves an appointment to a new start, and optionally to another staff member.
 *
 * @example
 * ```ts
 * const request: RescheduleRequest = { start: '2026-03-03T09:00:00.000Z', idempotencyKey };
 * ```
 */
export interface RescheduleRequest {
  readonly start: string;
  readonly staffId?: StaffId;
  readonly idempotencyKey: string;
}

/**
 * A patient asking to be offered a freed slot.
 *
 * @example
 * ```ts
 * const request: WaitlistRequest = { clinicId, patientId, serviceTypeId, earliestAt: '2026-03-02T00:00:00Z' };
 * ```
 */
export interface WaitlistRequest {
  readonly clinicId: ClinicId;
  readonly patientId: PatientId;
  readonly serviceTypeId: ServiceTypeId;
  readonly staffId?: StaffId;
  readonly earliestAt?: string;
  readonly latestAt?: string;
}
