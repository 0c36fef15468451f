import type { SqlExecutor } from '@carequeue/core/sql';
import { sqlUnits } from '../../postgres/unit-of-work.js';
import type { ClinicUnitOfWork } from '../ports/clinic-unit-of-work.js';
import { sqlClinicRepository } from './clinic-repository.js';
import { sqlServiceTypeRepository } from './service-type-repository.js';
import { checkFactoryOptions, SqlUnitOfWorkOptionsSchema } from '../../config/factory-options.js';

/**
 * Options of {@link sqlClinicUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlClinicUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlClinicUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

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
  checkFactoryOptions('sqlClinicUnitOfWork', SqlUnitOfWorkOptionsSchema, options);
  const units = sqlUnits({
    executor: options.executor,
    scope: (tx, recordAudit) => ({
      clinics: sqlClinicRepository({ executor: tx }),
      serviceTypes: sqlServiceTypeRepository({ executor: tx }),
      recordAudit,
    }),
  });
  return { run: units.asActor };
}
