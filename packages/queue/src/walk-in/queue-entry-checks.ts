import { parseOrThrow, QueueEntry, ValidationError } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';
import { PRIORITY_RANGE } from './queue-ordering.js';

/**
 * The priority to store: `priority`, or 0 when absent.
 *
 * @throws `ValidationError` unless it is an integer within {@link PRIORITY_RANGE}.
 */
export function checkedPriority(priority: number | undefined): number {
  const value = priority ?? 0;
  if (!Number.isInteger(value) || value < PRIORITY_RANGE.min || value > PRIORITY_RANGE.max) {
    throw new ValidationError('The priority is invalid. Send an integer from -100 to 100.', [
      { path: 'priority', message: 'must be an integer from -100 to 100' },
    ]);
  }
  return value;
}

/**
 * The entry, once its core model (the stored entry without the fields only the queue keeps)
 * passes core's `QueueEntry` schema, so nothing malformed is written.
 *
 * @throws `ValidationError` naming the field that does not fit the model.
 */
export function checkedQueueEntry(entry: StoredQueueEntry): StoredQueueEntry {
  const {
    orderingKey: _key,
    serviceTypeId: _type,
    firstCalledAt: _firstCalled,
    serviceStartedAt: _started,
    endedAt: _ended,
    transferredFromEntryId: _from,
    ...model
  } = entry;
  parseOrThrow(QueueEntry, model, 'queue entry');
  return entry;
}
