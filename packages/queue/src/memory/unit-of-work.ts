import type { AuditEvent, AuditStore } from '@carequeue/audit';
import { withBufferedAudit } from './audited-unit.js';
import { memoryLock, runAtomically } from './snapshot.js';

/**
 * What {@link memoryUnits} builds a memory unit of work from.
 *
 * @example
 * ```ts
 * const options: MemoryUnitsOptions<StaffWorkScope> = {
 *   auditStore,
 *   rollback: [staff, schedules],
 *   scope: (recordAudit) => ({ staff, schedules, clinicsInTenant, recordAudit }),
 * };
 * ```
 */
export interface MemoryUnitsOptions<S> {
  /** Receives the audit events of a unit, in one append, once the unit's work resolves. */
  readonly auditStore: AuditStore;
  /**
   * The repositories a unit writes: each is locked for the unit, and restored when the unit fails
   * if it can be saved (rows registered with `trackRows`, or a `Checkpointed` repository). Without
   * it units do not wait for each other and a failed unit's writes stay (only its audit events
   * are dropped), as units interleave in a database under read committed.
   */
  readonly rollback?: readonly object[];
  /** The scope a unit's work receives, with the unit's buffering `recordAudit`. */
  readonly scope: (recordAudit: (event: AuditEvent) => Promise<void>) => S;
}

/**
 * The `run` of an in-memory unit of work. Its audit events reach the audit store in one append
 * once the work resolves, so a failed unit leaves none. With `rollback`, units run one at a time
 * (and one at a time with any other unit over the same repositories), a unit that fails leaves
 * no write behind in those repositories, as a rolled-back transaction, and a unit started inside
 * a running unit over the same repositories is refused with `NestedUnitOfWorkError`.
 *
 * @example
 * ```ts
 * const run = memoryUnits({ auditStore, rollback: [clinics], scope: (recordAudit) => ({ clinics, recordAudit }) });
 * await run(async ({ clinics, recordAudit }) => {
 *   await clinics.insert(clinic);
 *   await recordAudit(event);
 * });
 * ```
 */
export function memoryUnits<S>(
  options: MemoryUnitsOptions<S>,
): <T>(work: (scope: S) => Promise<T>) => Promise<T> {
  const audited = <T>(work: (scope: S) => Promise<T>): Promise<T> =>
    withBufferedAudit(options.auditStore, (recordAudit) => work(options.scope(recordAudit)));
  const { rollback } = options;
  if (rollback === undefined) return audited;
  const lock = memoryLock();
  return (work) => runAtomically(lock, rollback, () => audited(work));
}
