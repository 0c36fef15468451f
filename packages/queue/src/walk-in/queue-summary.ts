import type { ClinicId, QueueEntryId, QueueEntryStatus, QueueId } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';

/**
 * The state of one line for screens and dashboards. Tickets and counters only: no names.
 *
 * @example
 * ```ts
 * const { waiting, nowServing, averageWaitMs } = await queue.summary(actor, clinicId, queueId);
 * ```
 */
export interface QueueSummary {
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  /** Entries waiting in line. */
  readonly waiting: number;
  /** Entries that stepped away and keep their place. */
  readonly away: number;
  readonly nowServing: readonly {
    readonly entryId: QueueEntryId;
    readonly ticket: string;
    readonly status: Extract<QueueEntryStatus, 'called' | 'in_service'>;
    readonly counter?: string;
  }[];
  /** Mean time the waiting entries have waited so far; 0 when nobody waits. */
  readonly averageWaitMs: number;
  /** The longest time a waiting entry has waited so far; 0 when nobody waits. */
  readonly longestWaitMs: number;
  /** When the summary was computed (it may be served from cache for up to 30 s). */
  readonly computedAt: string;
}

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
