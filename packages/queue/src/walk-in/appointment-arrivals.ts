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
 * The small view of the appointments the queue uses at check-in: read one, and mark a booked one
 * arrived in the same transaction as its queue entry.
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
}

/**
 * An in-memory {@link AppointmentArrivals} with a `put` for seeding.
 *
 * @example
 * ```ts
 * const appointments = memoryAppointmentArrivals();
 * appointments.put({ id, tenantId, clinicId, patientId, serviceTypeId, status: 'booked', startsAt, version: 0 });
 * ```
 */
export function memoryAppointmentArrivals(): AppointmentArrivals & {
  put(appointment: ArrivingAppointment): void;
} {
  const rows = new Map<string, ArrivingAppointment>();
  const key = (tenantId: string, id: string): string => `${tenantId}/${id}`;
  return {
    put(appointment) {
      rows.set(key(appointment.tenantId, appointment.id), { ...appointment });
    },
    get(tenantId, id) {
      const found = rows.get(key(tenantId, id));
      return Promise.resolve(found === undefined ? undefined : { ...found });
    },
    markArrived(appointment) {
      const k = key(appointment.tenantId, appointment.id);
      const current = rows.get(k);
      if (current?.status !== 'booked' || current.version !== appointment.version) {
        return Promise.resolve(false);
      }
      rows.set(k, { ...current, status: 'arrived', version: current.version + 1 });
      return Promise.resolve(true);
    },
  };
}
