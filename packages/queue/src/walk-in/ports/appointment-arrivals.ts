import type {
  AppointmentId,
  AppointmentStatus,
  ClinicId,
  PatientId,
  ServiceTypeId,
  TenantId,
} from '@carequeue/core';

/**
 * What check-in needs to know about an appointment.
 *
 * @example
 * ```ts
 * const arriving: ArrivingAppointment = await appointments.get(tenantId, appointmentId);
 * ```
 */
export interface ArrivingAppointment {
  readonly id: AppointmentId;
  readonly tenantId: TenantId;
  readonly clinicId: ClinicId;
  readonly patientId: PatientId;
  readonly serviceTypeId: ServiceTypeId;
  readonly status: AppointmentStatus;
  readonly startsAt: string;
  readonly version: number;
}

/**
 * The small view of the appointments the queue uses: read one, mark a booked one arrived in the
 * same transaction as its queue entry, and mark it a no-show in the same transaction as the
 * no-show of its entry.
 *
 * @example
 * ```ts
 * const appointment = await appointments.get(tenantId, appointmentId);
 * if (appointment?.status === 'booked') await appointments.markArrived(appointment, now);
 * ```
 */
export interface AppointmentArrivals {
  get(tenantId: TenantId, id: AppointmentId): Promise<ArrivingAppointment | undefined>;
  /** Moves a booked appointment to `arrived` when its version is unchanged; false otherwise. */
  markArrived(appointment: ArrivingAppointment, at: string): Promise<boolean>;
  /**
   * Moves the appointment to `noshow` when its status and version are unchanged; false
   * otherwise. The caller checks the move against core's `appointmentTransitions` first.
   */
  markNoShow(appointment: ArrivingAppointment, at: string): Promise<boolean>;
}
