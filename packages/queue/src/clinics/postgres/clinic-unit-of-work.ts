import type { ClinicUnitOfWork } from '../ports/clinic-unit-of-work.js';
import { sqlClinicRepository } from './clinic-repository.js';
import { sqlServiceTypeRepository } from './service-type-repository.js';
import { checkedSqlUnits, type SqlUnitOfWorkOptions } from '../../postgres/sql-adapter-options.js';

/**
 * Options of {@link sqlClinicUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlClinicUnitOfWorkOptions = { executor };
 * ```
 */
export type SqlClinicUnitOfWorkOptions = SqlUnitOfWorkOptions;

/**
 * A {@link ClinicUnitOfWork} over core's `SqlExecutor`: each unit is one transaction under the
 * actor's claims, so row-level security applies, and its audit events are inserted in it.
 *
 * @example
 * ```ts
 * import { createClinicService } from '@carequeue/queue';
 * import { sqlClinicUnitOfWork } from '@carequeue/queue/postgres';
 *
 * const clinics = createClinicService({ unitOfWork: sqlClinicUnitOfWork({ executor }), audit, cache, clock });
 * ```
 */
export function sqlClinicUnitOfWork(options: SqlClinicUnitOfWorkOptions): ClinicUnitOfWork {
  const units = checkedSqlUnits('sqlClinicUnitOfWork', options, {
    scope: (tx, recordAudit) => ({
      clinics: sqlClinicRepository({ executor: tx }),
      serviceTypes: sqlServiceTypeRepository({ executor: tx }),
      recordAudit,
    }),
  });
  return { run: units.asActor };
}
