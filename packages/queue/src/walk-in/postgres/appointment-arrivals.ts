import {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  TenantId,
  type AppointmentStatus,
} from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { isoTimestamp } from '../../postgres/sql-values.js';
import type { AppointmentArrivals } from '../ports/appointment-arrivals.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';

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
 * An {@link AppointmentArrivals} reading `queue.appointments` inside the unit of work's
 * transaction and moving arrivals through `queue.transition_appointment` (migration 0010).
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
  checkFactoryOptions('sqlAppointmentArrivals', SqlRepositoryOptionsSchema, options);
  const { executor } = options;
  // End users may not update appointments directly (migration 0010): the checked function does.
  const transition = async (
    appointment: { tenantId: string; id: string; version: number },
    from: AppointmentStatus,
    to: AppointmentStatus,
    at: string,
  ): Promise<boolean> => {
    const { rows } = await executor.query<{ changed: boolean }>(
      'SELECT queue.transition_appointment($1, $2, $3, $4, $5, $6) AS changed',
      [appointment.tenantId, appointment.id, appointment.version, from, to, at],
    );
    return rows[0]?.changed === true;
  };
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

    markArrived(appointment, at) {
      return transition(appointment, 'booked', 'arrived', at);
    },

    markNoShow(appointment, at) {
      return transition(appointment, appointment.status, 'noshow', at);
    },
  };
}
