/**
 * The options every SQL repository and SQL unit of work takes: the executor it runs on.
 *
 * @packageDocumentation
 */
import type { SqlExecutor } from '@carequeue/core/sql';
import { checkFactoryOptions, SqlUnitOfWorkOptionsSchema } from '../config/factory-options.js';
import { sqlUnits, type SqlUnits, type SqlUnitsOptions } from './unit-of-work.js';

/**
 * Options of a SQL repository (`sqlClinicRepository`, `sqlPatientRepository`, ...).
 *
 * @example
 * ```ts
 * const options: SqlRepositoryOptions = { executor };
 * ```
 */
export interface SqlRepositoryOptions {
  /** The executor to run on: a pool, or a transaction running under the caller's claims. */
  readonly executor: SqlExecutor;
}

/**
 * Options of a SQL unit of work (`sqlClinicUnitOfWork`, `sqlPatientUnitOfWork`, ...).
 *
 * @example
 * ```ts
 * const options: SqlUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

/**
 * {@link sqlUnits} for the public unit-of-work factory named `factory`: its `options` are checked
 * first, and a malformed executor is refused with a `QueueConfigError` naming the factory.
 *
 * @internal
 * @example
 * ```ts
 * const units = checkedSqlUnits('sqlPatientUnitOfWork', options, {
 *   scope: (tx, recordAudit) => ({ patients: sqlPatientRepository({ executor: tx }), recordAudit }),
 * });
 * ```
 */
export function checkedSqlUnits<S>(
  factory: string,
  options: SqlUnitOfWorkOptions,
  unit: Omit<SqlUnitsOptions<S>, 'executor'>,
): SqlUnits<S> {
  checkFactoryOptions(factory, SqlUnitOfWorkOptionsSchema, options);
  return sqlUnits({ ...unit, executor: options.executor });
}
