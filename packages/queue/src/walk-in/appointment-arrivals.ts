import type {
  AppointmentId,
  AppointmentStatus,
  ClinicId,
  PatientId,
  ServiceTypeId,
  TenantId,
} from '@carequeue/core';
import { trackRows } from '../memory/snapshot.js';

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
  const repo: AppointmentArrivals & { put(appointment: ArrivingAppointment): void } = {
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
    markNoShow(appointment) {
      const k = key(appointment.tenantId, appointment.id);
      const current = rows.get(k);
      if (current === undefined || current.status !== appointment.status) {
        return Promise.resolve(false);
      }
      if (current.version !== appointment.version) return Promise.resolve(false);
      rows.set(k, { ...current, status: 'noshow', version: current.version + 1 });
      return Promise.resolve(true);
    },
  };
  return trackRows(repo, rows);
}
