import type { QueueEntryStatus } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';

/** Statuses an entry ends in; reaching one stamps `endedAt`. */
export const FINAL_QUEUE_STATUSES: readonly QueueEntryStatus[] = [
  'completed',
  'no_show',
  'left',
  'cancelled',
  'transferred',
];

/** The entry without the counter and caller of its last call, as it is back in line. */
export function withoutCall(entry: StoredQueueEntry): StoredQueueEntry {
  const { counter: _counter, calledBy: _calledBy, ...rest } = entry;
  return rest;
}

/**
 * The ticket shown to the patient: a letter for how the entry joined (W walk-in, A appointment,
 * T transfer) and the last three digits of the line's ticket number.
 */
export function ticketFor(source: StoredQueueEntry['source'], number: number): string {
  const letter = source === 'walk-in' ? 'W' : source === 'appointment' ? 'A' : 'T';
  return `${letter}${String(number % 1000).padStart(3, '0')}`;
}

/** True when `other` is waiting and called before `entry` (ordering key, then id). */
export function waitsAhead(other: StoredQueueEntry, entry: StoredQueueEntry): boolean {
  return (
    other.status === 'waiting' &&
    (other.orderingKey < entry.orderingKey ||
      (other.orderingKey === entry.orderingKey && other.id < entry.id))
  );
}

/** The service type an entry's service time is tracked and estimated under. */
export function serviceTypeOf(entry: StoredQueueEntry): string {
  return entry.serviceTypeId ?? 'default';
}
