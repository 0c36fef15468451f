import type { SqlExecutor } from '@carequeue/core/sql';
import { sqlUnits } from '../../postgres/unit-of-work.js';
import type { PatientUnitOfWork } from '../ports/patient-unit-of-work.js';
import { sqlPatientRepository } from './patient-repository.js';
import { checkFactoryOptions, SqlUnitOfWorkOptionsSchema } from '../../config/factory-options.js';

/**
 * Options of {@link sqlPatientUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlPatientUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlPatientUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

/**
 * A {@link PatientUnitOfWork} over core's `SqlExecutor`: each unit is one transaction under the
 * actor's claims, so row-level security applies, and its audit events are inserted in it.
 *
 * @example
 * ```ts
 * import { createPatientService } from '@carequeue/queue';
 * import { sqlPatientUnitOfWork } from '@carequeue/queue/postgres';
 *
 * const patients = createPatientService({ unitOfWork: sqlPatientUnitOfWork({ executor }), audit, cache, encryptor, clock });
 * ```
 */
export function sqlPatientUnitOfWork(options: SqlPatientUnitOfWorkOptions): PatientUnitOfWork {
  checkFactoryOptions('sqlPatientUnitOfWork', SqlUnitOfWorkOptionsSchema, options);
  const units = sqlUnits({
    executor: options.executor,
    scope: (tx, recordAudit) => ({ patients: sqlPatientRepository({ executor: tx }), recordAudit }),
  });
  return { run: units.asActor };
}
