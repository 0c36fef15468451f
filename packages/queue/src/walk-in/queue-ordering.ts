import { HOUR_MS } from '@carequeue/core';

/**
 * The lowest and highest triage priority an entry may have (core's `QueueEntry.priority`).
 *
 * @example
 * ```ts
 * const urgent = PRIORITY_RANGE.max;
 * ```
 */
export const PRIORITY_RANGE = { min: -100, max: 100 } as const;

/**
 * How priority ages. `maxWaitMs` is the longest any patient can be overtaken: an entry checked
 * in more than `maxWaitMs` after another never goes ahead of it, whatever the two priorities.
 *
 * @example
 * ```ts
 * const aging: QueueAging = { maxWaitMs: 60 * 60_000 };
 * ```
 */
export interface QueueAging {
  /**
   * The overtaking horizon, in milliseconds.
   *
   * @default 3_600_000 (one hour)
   */
  readonly maxWaitMs: number;
}

/**
 * The default {@link QueueAging}: one hour.
 *
 * @example
 * ```ts
 * createQueueService({ ...options, aging: DEFAULT_QUEUE_AGING });
 * ```
 */
export const DEFAULT_QUEUE_AGING: QueueAging = { maxWaitMs: HOUR_MS };

/**
 * The ordering key of an entry: its effective instant moved earlier by its priority. Each
 * priority point is worth `maxWaitMs / 200` milliseconds of waiting, so the whole range from
 * -100 to 100 spans exactly `maxWaitMs`.
 *
 * This is linear aging: an entry's effective priority `priority + waited / step` grows with
 * waiting time, and ordering by it at any instant is the same as ordering by this fixed key, so
 * SQL can use an index and `FOR UPDATE SKIP LOCKED` without re-ranking the line.
 *
 * @throws `RangeError` when the priority is outside {@link PRIORITY_RANGE} or `maxWaitMs` is not positive.
 * @example
 * ```ts
 * orderingKey(Date.parse('2026-03-02T09:00:00Z'), 50, { maxWaitMs: 3_600_000 });
 * // 15 minutes earlier than a priority-0 entry of the same instant
 * ```
 */
export function orderingKey(effectiveAtMs: number, priority: number, aging: QueueAging): number {
  if (
    !Number.isInteger(priority) ||
    priority < PRIORITY_RANGE.min ||
    priority > PRIORITY_RANGE.max
  ) {
    throw new RangeError('priority must be an integer from -100 to 100.');
  }
  if (!(aging.maxWaitMs > 0) || !Number.isFinite(aging.maxWaitMs)) {
    throw new RangeError('aging.maxWaitMs must be a positive number of milliseconds.');
  }
  const step = aging.maxWaitMs / (PRIORITY_RANGE.max - PRIORITY_RANGE.min);
  return Math.round(effectiveAtMs - priority * step);
}
