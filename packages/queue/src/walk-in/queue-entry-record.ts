import type { QueueEntry, ServiceTypeId } from '@carequeue/core';

/**
 * A queue entry as the repositories store it: core's model plus what ordering, estimation and
 * analytics need. `orderingKey` is the instant (epoch milliseconds) the entry is ordered by,
 * smaller first; position is derived from it at read time and never stored.
 *
 * @example
 * ```ts
 * const stored: StoredQueueEntry = { ...entry, orderingKey: Date.parse(entry.effectiveAt) };
 * ```
 */
export type StoredQueueEntry = QueueEntry & {
  readonly orderingKey: number;
  /** The service type the patient checked in for; it picks the service-time estimate. */
  readonly serviceTypeId?: ServiceTypeId;
  /**
   * When the entry was first called. A recall puts the patient back in line and the next call
   * moves `calledAt`; this stays, so the wait (check-in to first call) is not stretched by recalls.
   */
  readonly firstCalledAt?: string;
  /** When service started (`in_service`). */
  readonly serviceStartedAt?: string;
  /** When the entry reached a final status (completed, no-show, left, cancelled, transferred). */
  readonly endedAt?: string;
  /** The entry this one was transferred from, for entries with source `transfer`. */
  readonly transferredFromEntryId?: QueueEntry['id'];
};

/**
 * Statuses in which an entry still belongs to its line: waiting, away, called or in service.
 *
 * @example
 * ```ts
 * LIVE_QUEUE_STATUSES.includes(entry.status);
 * ```
 */
export const LIVE_QUEUE_STATUSES: readonly QueueEntry['status'][] = [
  'waiting',
  'away',
  'called',
  'in_service',
];
