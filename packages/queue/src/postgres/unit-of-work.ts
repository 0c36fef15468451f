import type { Actor } from '@carequeue/core';
import {
  asServiceRole,
  claimsForActor,
  retryTransactionConflicts,
  withClaims,
  type SqlExecutor,
} from '@carequeue/core/sql';
import type { AuditEvent } from '@carequeue/audit';
import { recordInTransaction } from '@carequeue/audit/postgres';

/**
 * What {@link sqlUnits} builds a SQL unit of work from.
 *
 * @example
 * ```ts
 * const options: SqlUnitsOptions<ClinicWorkScope> = {
 *   executor,
 *   scope: (tx, recordAudit) => ({ clinics: sqlClinicRepository({ executor: tx }), recordAudit }),
 * };
 * ```
 */
export interface SqlUnitsOptions<S> {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
  /**
   * The scope a unit's work receives: repositories over the unit's transaction `tx`, and the
   * `recordAudit` that inserts audit events in that transaction.
   */
  readonly scope: (tx: SqlExecutor, recordAudit: (event: AuditEvent) => Promise<void>) => S;
  /**
   * When true, an actor with the `service` role (a worker such as a sweeper) runs as
   * `service_role` rather than under its claims. @default false
   */
  readonly serviceActorsAsServiceRole?: boolean;
  /**
   * How many times a unit runs at most when Postgres aborts it as a deadlock or a serialization
   * failure; the work must then keep no effects outside the transaction. @default 1 (no rerun)
   */
  readonly conflictAttempts?: number;
}

/**
 * The two ways a SQL unit runs: as an actor, under its claims so that row-level security applies,
 * or as `service_role`. Either way it is one transaction holding its writes and audit events.
 *
 * @example
 * ```ts
 * const units = sqlUnits({ executor, scope });
 * await units.asActor(actor, async ({ clinics, recordAudit }) => { ... });
 * ```
 */
export interface SqlUnits<S> {
  /** Runs `work` in one transaction under `actor`'s claims (or as `service_role`, see options). */
  readonly asActor: <T>(actor: Actor, work: (scope: S) => Promise<T>) => Promise<T>;
  /** Runs `work` in one transaction as `service_role`, which row-level security does not restrict. */
  readonly asServiceRole: <T>(work: (scope: S) => Promise<T>) => Promise<T>;
}

/**
 * The SQL unit-of-work kit every `sql*UnitOfWork` is built from: each unit is one transaction,
 * its audit events are inserted in it (so they commit or roll back with its writes), and it runs
 * under the actor's claims or as `service_role`. A unit run inside another on the same pool
 * executor is a transaction of its own; on a transaction executor, a savepoint (core's
 * `SqlExecutor.transaction`).
 *
 * @example
 * ```ts
 * const units = sqlUnits({
 *   executor,
 *   scope: (tx, recordAudit) => ({ patients: sqlPatientRepository({ executor: tx }), recordAudit }),
 * });
 * const unitOfWork: PatientUnitOfWork = { run: units.asActor };
 * ```
 */
export function sqlUnits<S>(options: SqlUnitsOptions<S>): SqlUnits<S> {
  const { executor } = options;
  const scopeOf = (tx: SqlExecutor): S =>
    options.scope(tx, (event) => recordInTransaction(tx, event));
  const attempts = options.conflictAttempts ?? 1;
  const retried = <T>(transaction: () => Promise<T>): Promise<T> =>
    attempts > 1 ? retryTransactionConflicts(transaction, { attempts }) : transaction();
  const asServiceRoleUnit = <T>(work: (scope: S) => Promise<T>): Promise<T> =>
    retried(() => asServiceRole(executor, (tx) => work(scopeOf(tx))));
  return {
    asActor: (actor, work) => {
      if (options.serviceActorsAsServiceRole === true && actor.roles.includes('service')) {
        return asServiceRoleUnit(work);
      }
      return retried(() => withClaims(executor, claimsForActor(actor), (tx) => work(scopeOf(tx))));
    },
    asServiceRole: asServiceRoleUnit,
  };
}
