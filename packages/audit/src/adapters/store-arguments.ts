import {
  auditEventIssues,
  checkArguments,
  integerIssues,
  listIssues,
  uuidIssues,
  verifyRangeIssues,
} from '../argument-checks.js';

/**
 * The most events one `seal` call may seal. Larger backlogs are sealed by calling it again.
 *
 * @example
 * ```ts
 * while ((await store.seal(tenantId, MAX_SEAL_LIMIT)) > 0);
 * ```
 */
export const MAX_SEAL_LIMIT = 100_000;

// Every AuditStore adapter checks its arguments here, before its first port call, so the memory,
// Postgres and Supabase stores refuse the same input with the same ValidationError: a tenant id
// that is not a UUID was a 503 on SQL (the column is uuid) and an empty answer in memory.

/**
 * Checks the events of `AuditStore.append` (and `recordInTransaction`).
 *
 * @throws {ValidationError} naming the first event field at fault, e.g. `events.2.tenantId`
 * @example
 * ```ts
 * checkAppendArguments('append', events);
 * ```
 */
export function checkAppendArguments(operation: string, events: unknown): void {
  checkArguments(operation, listIssues(events, 'events', auditEventIssues));
}

/**
 * Checks the arguments of `AuditStore.seal`.
 *
 * @throws {ValidationError} naming `tenantId` or `limit`
 * @example
 * ```ts
 * checkSealArguments(tenantId, limit);
 * ```
 */
export function checkSealArguments(tenantId: unknown, limit: unknown): void {
  checkArguments(
    'seal',
    uuidIssues(tenantId, 'tenantId'),
    integerIssues(limit, 'limit', { min: 1, max: MAX_SEAL_LIMIT, optional: true }),
  );
}

/**
 * Checks the arguments of `AuditStore.verify`.
 *
 * @throws {ValidationError} naming `tenantId` or the field of `range` at fault
 * @example
 * ```ts
 * checkVerifyArguments(tenantId, range);
 * ```
 */
export function checkVerifyArguments(tenantId: unknown, range: unknown): void {
  checkArguments('verify', uuidIssues(tenantId, 'tenantId'), verifyRangeIssues(range, 'range'));
}

/**
 * Checks the argument of `AuditStore.head`.
 *
 * @throws {ValidationError} naming `tenantId`
 * @example
 * ```ts
 * checkHeadArguments(tenantId);
 * ```
 */
export function checkHeadArguments(tenantId: unknown): void {
  checkArguments('head', uuidIssues(tenantId, 'tenantId'));
}
