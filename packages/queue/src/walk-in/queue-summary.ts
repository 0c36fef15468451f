import type { ClinicId, QueueId, QueueSummary } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';

export type { QueueSummary } from '@carequeue/core';

/**
 * Summarizes the live entries of one line at `nowMs`.
 *
 * @example
 * ```ts
 * const summary = summarizeQueue(clinicId, queueId, await entries.listLive(tenantId, queueId), clock.now());
 * ```
 */
export function summarizeQueue(
  clinicId: ClinicId,
  queueId: QueueId,
  live: readonly StoredQueueEntry[],
  nowMs: number,
): QueueSummary {
  const waiting = live.filter((entry) => entry.status === 'waiting');
  const waits = waiting.map((entry) => Math.max(0, nowMs - Date.parse(entry.checkedInAt)));
  const total = waits.reduce((sum, wait) => sum + wait, 0);
  return {
    clinicId,
    queueId,
    waiting: waiting.length,
    away: live.filter((entry) => entry.status === 'away').length,
    nowServing: live
      .filter((entry) => entry.status === 'called' || entry.status === 'in_service')
      .map((entry) => ({
        entryId: entry.id,
        ticket: entry.ticket,
        status: entry.status as 'called' | 'in_service',
        ...(entry.counter === undefined ? {} : { counter: entry.counter }),
      })),
    averageWaitMs: waits.length === 0 ? 0 : Math.round(total / waits.length),
    longestWaitMs: waits.length === 0 ? 0 : Math.max(...waits),
    computedAt: new Date(nowMs).toISOString(),
  };
}
