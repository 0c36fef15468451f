import { NotFoundError, type Actor, type ServiceType } from '@carequeue/core';
import type { AvailabilityRules, BusyInterval } from '../availability/index.js';
import { appointmentBusyRange } from './appointment-busy-range.js';
import type { BookingRequest } from './booking-requests.js';
import type { BusyAppointment } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import { recordOrNotFound } from '../record-or-not-found.js';

/** The availability rules of one staff member, service type and clinic, and the service type. */
export interface SlotRules {
  readonly rules: AvailabilityRules;
  readonly serviceType: ServiceType;
}

/**
 * Reads the clinic, the active service type and the staff member's schedule that decide where
 * slots start.
 *
 * @throws `NotFoundError` for an unknown clinic or schedule, or a service type that is not an
 * active one of the clinic.
 */
export async function loadSlotRules(
  work: BookingWorkScope,
  actor: Actor,
  slot: Pick<BookingRequest, 'clinicId' | 'staffId' | 'serviceTypeId'>,
): Promise<SlotRules> {
  const clinic = await recordOrNotFound(work.clinics, actor.tenantId, slot.clinicId, 'clinic');
  const serviceType = await work.serviceTypes.get(actor.tenantId, slot.serviceTypeId);
  if (serviceType?.clinicId !== slot.clinicId || !serviceType.active) {
    throw new NotFoundError('service type');
  }
  const schedule = await work.schedules.get(actor.tenantId, slot.staffId, slot.clinicId);
  if (schedule === undefined) throw new NotFoundError('schedule');
  return {
    serviceType,
    rules: {
      timeZone: clinic.timeZone,
      weeklyHours: schedule.weeklyHours,
      dateOverrides: schedule.dateOverrides,
      durationMinutes: serviceType.durationMinutes,
      bufferBeforeMinutes: serviceType.bufferBeforeMinutes,
      bufferAfterMinutes: serviceType.bufferAfterMinutes,
      slotIntervalMinutes: clinic.settings.slotIntervalMinutes,
      minimumNoticeMinutes: clinic.settings.minimumNoticeMinutes,
      bookingHorizonDays: clinic.settings.bookingHorizonDays,
    },
  };
}

/** Whether a pending hold's expiry is at or before `now`: it no longer holds its slot. */
export function holdHasLapsed(
  appointment: Pick<BusyAppointment, 'status' | 'holdExpiresAt'>,
  now: number,
): boolean {
  return (
    appointment.status === 'pending' &&
    appointment.holdExpiresAt !== undefined &&
    Date.parse(appointment.holdExpiresAt) <= now
  );
}

/**
 * The busy ranges that block a new booking, leaving out lapsed holds and the seats of
 * `ownGroupSlotId` (the group session being booked).
 */
export function blockingRanges(
  rows: readonly BusyAppointment[],
  now: number,
  ownGroupSlotId?: string,
): BusyInterval[] {
  return rows
    .filter((row) => !holdHasLapsed(row, now))
    .filter((row) => ownGroupSlotId === undefined || row.groupSlotId !== ownGroupSlotId)
    .map(appointmentBusyRange);
}
