import type { SqlExecutor } from '@carequeue/core/sql';
import { sqlUnits } from '../../postgres/unit-of-work.js';
import type { StaffUnitOfWork, StaffWorkScope } from '../ports/staff-unit-of-work.js';
import { sqlClinicsInTenant } from '../../clinics/postgres/index.js';
import { sqlScheduleRepository } from './schedule-repository.js';
import { sqlStaffRepository } from './staff-repository.js';
import { checkFactoryOptions, SqlUnitOfWorkOptionsSchema } from '../../config/factory-options.js';

/**
 * Options of {@link sqlStaffUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlStaffUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlStaffUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

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
  checkFactoryOptions('sqlStaffUnitOfWork', SqlUnitOfWorkOptionsSchema, options);
  const units = sqlUnits({
    executor: options.executor,
    scope: (tx, recordAudit): StaffWorkScope => ({
      staff: sqlStaffRepository({ executor: tx }),
      schedules: sqlScheduleRepository({ executor: tx }),
      clinicsInTenant: (tenantId, clinicIds) => sqlClinicsInTenant(tx, tenantId, clinicIds),
      recordAudit,
    }),
  });
  return { run: units.asActor };
}
