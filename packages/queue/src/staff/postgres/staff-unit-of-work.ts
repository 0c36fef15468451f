import type { StaffUnitOfWork, StaffWorkScope } from '../ports/staff-unit-of-work.js';
import { sqlClinicsInTenant } from '../../clinics/postgres/index.js';
import { sqlScheduleRepository } from './schedule-repository.js';
import { sqlStaffRepository } from './staff-repository.js';
import { checkedSqlUnits, type SqlUnitOfWorkOptions } from '../../postgres/sql-adapter-options.js';

/**
 * Options of {@link sqlStaffUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlStaffUnitOfWorkOptions = { executor };
 * ```
 */
export type SqlStaffUnitOfWorkOptions = SqlUnitOfWorkOptions;

/**
 * A {@link StaffUnitOfWork} over core's `SqlExecutor`: each unit is one transaction under the
 * actor's claims, so row-level security applies, and its audit events are inserted in it.
 *
 * @example
 * ```ts
 * import { createStaffService } from '@carequeue/queue';
 * import { sqlStaffUnitOfWork } from '@carequeue/queue/postgres';
 *
 * const staff = createStaffService({ unitOfWork: sqlStaffUnitOfWork({ executor }), audit, cache, clock });
 * ```
 */
export function sqlStaffUnitOfWork(options: SqlStaffUnitOfWorkOptions): StaffUnitOfWork {
  const units = checkedSqlUnits('sqlStaffUnitOfWork', options, {
    scope: (tx, recordAudit): StaffWorkScope => ({
      staff: sqlStaffRepository({ executor: tx }),
      schedules: sqlScheduleRepository({ executor: tx }),
      clinicsInTenant: (tenantId, clinicIds) => sqlClinicsInTenant(tx, tenantId, clinicIds),
      recordAudit,
    }),
  });
  return { run: units.asActor };
}
