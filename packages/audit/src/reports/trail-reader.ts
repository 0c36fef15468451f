import type { AuditLog } from '../audit-event.js';
import type { AuditStore } from '../audit-store.js';
import {
  checkArguments,
  functionIssues,
  isRecord,
  objectIssues,
  storeIssues,
} from '../argument-checks.js';
import { MAX_TRAIL_PAGE_SIZE, resolveTrailQuery, type AuditTrailQuery } from '../trail-query.js';

/**
 * Called after each page a report reads, with the number of events read so far, so long runs
 * can show progress.
 *
 * @example
 * ```ts
 * const onProgress: ReportProgress = (read) => process.stderr.write(`read ${read} events\n`);
 * ```
 */
export type ReportProgress = (read: number) => void;

/**
 * Reads every event matching a trail query through the store's cursor pagination, in the
 * query's sort order. Works on every {@link AuditStore}.
 *
 * @example
 * ```ts
 * const logs = await readWholeTrail(store, { tenantId, patientId, sortBy: 'timestamp' });
 * ```
 */
export async function readWholeTrail(
  store: AuditStore,
  query: Omit<AuditTrailQuery, 'cursor' | 'limit'>,
  onProgress?: ReportProgress,
): Promise<AuditLog[]> {
  checkArguments(
    'readWholeTrail',
    storeIssues(store, 'store'),
    objectIssues(query, 'query'),
    functionIssues(onProgress, 'onProgress', { optional: true }),
  );
  // The query is checked here too, so a bad one never reaches the store.
  if (isRecord(query)) resolveTrailQuery({ ...query, limit: MAX_TRAIL_PAGE_SIZE, cursor: null });
  const logs: AuditLog[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.query({ ...query, limit: MAX_TRAIL_PAGE_SIZE, cursor });
    logs.push(...page.items);
    onProgress?.(logs.length);
    cursor = page.nextCursor;
  } while (cursor);
  return logs;
}
