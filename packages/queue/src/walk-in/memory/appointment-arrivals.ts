import { trackRows } from '../../memory/snapshot.js';
import type { AppointmentArrivals, ArrivingAppointment } from '../ports/appointment-arrivals.js';

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
