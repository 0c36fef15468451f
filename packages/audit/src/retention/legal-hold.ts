import { systemClock, uuidv7, type Clock } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import {
  checkArguments,
  clockIssues,
  dateIssues,
  executorIssues,
  isRecord,
  objectIssues,
  textIssues,
  uuidIssues,
} from '../argument-checks.js';

/**
 * A legal hold: the events of a tenant (or of one patient of it) in an inclusive time range are
 * kept whatever their retention, until the hold is released.
 *
 * @example
 * ```ts
 * const hold: LegalHoldInput = { tenantId, patientId, from: new Date('2019-01-01'), to: new Date('2019-12-31'), reason: 'Litigation 2026-17', createdBy: counselId };
 * ```
 */
export interface LegalHoldInput {
  readonly tenantId: string;
  /** @default null (the whole tenant) */
  readonly patientId?: string | null;
  readonly from: Date;
  readonly to: Date;
  readonly reason: string;
  readonly createdBy: string | null;
}

/**
 * Places a legal hold and returns its id. Retention skips every partition holding an event the
 * hold covers.
 *
 * @example
 * ```ts
 * const holdId = await placeLegalHold(executor, { tenantId, from, to, reason: 'Litigation 2026-17', createdBy: counselId });
 * ```
 */
export async function placeLegalHold(
  executor: SqlExecutor,
  hold: LegalHoldInput,
  clock: Clock = systemClock,
): Promise<string> {
  checkArguments(
    'placeLegalHold',
    executorIssues(executor, 'executor'),
    objectIssues(hold, 'hold'),
    clockIssues(clock, 'clock'),
  );
  checkArguments(
    'placeLegalHold',
    uuidIssues(hold.tenantId, 'hold.tenantId'),
    textIssues(hold.patientId, 'hold.patientId', { optional: true, nullable: true, max: 256 }),
    dateIssues(hold.from, 'hold.from'),
    dateIssues(hold.to, 'hold.to'),
    isRecord(hold) && hold.from instanceof Date && hold.to instanceof Date && hold.from > hold.to
      ? [{ path: 'hold.from', message: 'must not be after hold.to' }]
      : [],
    textIssues(hold.reason, 'hold.reason', { nonEmpty: true }),
    textIssues(hold.createdBy, 'hold.createdBy', { nullable: true, max: 256 }),
  );
  const id = uuidv7();
  await executor.query(
    `INSERT INTO audit.legal_holds (id, tenant_id, patient_id, from_time, to_time, reason, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      id,
      hold.tenantId,
      hold.patientId ?? null,
      hold.from.toISOString(),
      hold.to.toISOString(),
      hold.reason,
      hold.createdBy,
      new Date(clock.now()).toISOString(),
    ],
  );
  return id;
}

/**
 * Releases a legal hold; the hold stays on record with its release time.
 *
 * @example
 * ```ts
 * await releaseLegalHold(executor, holdId);
 * ```
 */
export async function releaseLegalHold(
  executor: SqlExecutor,
  holdId: string,
  clock: Clock = systemClock,
): Promise<void> {
  checkArguments(
    'releaseLegalHold',
    executorIssues(executor, 'executor'),
    uuidIssues(holdId, 'holdId'),
    clockIssues(clock, 'clock'),
  );
  await executor.query(
    'UPDATE audit.legal_holds SET released_at = $2 WHERE id = $1 AND released_at IS NULL',
    [holdId, new Date(clock.now()).toISOString()],
  );
}
