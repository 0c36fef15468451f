import type { PatientUnitOfWork } from '../ports/patient-unit-of-work.js';
import { sqlPatientRepository } from './patient-repository.js';
import { checkedSqlUnits, type SqlUnitOfWorkOptions } from '../../postgres/sql-adapter-options.js';

/**
 * Options of {@link sqlPatientUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlPatientUnitOfWorkOptions = { executor };
 * ```
 */
export type SqlPatientUnitOfWorkOptions = SqlUnitOfWorkOptions;

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
  const units = checkedSqlUnits('sqlPatientUnitOfWork', options, {
    scope: (tx, recordAudit) => ({ patients: sqlPatientRepository({ executor: tx }), recordAudit }),
  });
  return { run: units.asActor };
}
