import {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  TenantId,
  type AppointmentStatus,
} from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { isoTimestamp } from '../adapters/sql-values.js';
import type { AppointmentArrivals } from './appointment-arrivals.js';

interface AppointmentRow {
  id: string;
  tenant_id: string;
  clinic_id: string;
  patient_id: string;
  service_type_id: string;
  status: AppointmentStatus;
  starts_at: unknown;
  version: number;
}

/**
 * An {@link AppointmentArrivals} reading and updating `queue.appointments` (migration 0001)
 * inside the unit of work's transaction.
 *
 * @example
 * ```ts
 * import { sqlAppointmentArrivals } from '@carequeue/queue/postgres';
 *
 * const appointments = sqlAppointmentArrivals({ executor: tx });
 * ```
 */
export function sqlAppointmentArrivals(options: {
  readonly executor: SqlExecutor;
}): AppointmentArrivals {
  const { executor } = options;
  return {
    async get(tenantId, id) {
      const { rows } = await executor.query<AppointmentRow>(
        `SELECT id, tenant_id, clinic_id, patient_id, service_type_id, status, starts_at, version
         FROM queue.appointments WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      return {
        id: AppointmentId.parse(row.id),
        tenantId: TenantId.parse(row.tenant_id),
        clinicId: ClinicId.parse(row.clinic_id),
        patientId: PatientId.parse(row.patient_id),
        serviceTypeId: ServiceTypeId.parse(row.service_type_id),
        status: row.status,
        startsAt: isoTimestamp(row.starts_at),
        version: row.version,
      };
    },

    async markArrived(appointment, at) {
      const { rowCount } = await executor.query(
        `UPDATE queue.appointments SET status = 'arrived', updated_at = $3, version = version + 1
         WHERE tenant_id = $1 AND id = $2 AND status = 'booked' AND version = $4`,
        [appointment.tenantId, appointment.id, at, appointment.version],
      );
      return rowCount === 1;
    },

    async markNoShow(appointment, at) {
      const { rowCount } = await executor.query(
        `UPDATE queue.appointments SET status = 'noshow', updated_at = $3, version = version + 1
         WHERE tenant_id = $1 AND id = $2 AND status = $4 AND version = $5`,
        [appointment.tenantId, appointment.id, at, appointment.status, appointment.version],
      );
      return rowCount === 1;
    },
  };
}
