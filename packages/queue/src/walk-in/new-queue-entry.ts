import { QueueEntryId, uuidv7 } from '@carequeue/core';
import type { StoredQueueEntry } from './queue-entry-record.js';
import { checkedQueueEntry } from './queue-entry-checks.js';
import { ticketFor } from './queue-entry-rules.js';
import { orderingKey, type QueueAging } from './queue-ordering.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';

/** What the use case decides about an entry joining a line; the rest follows from it. */
export type NewEntryFields = Omit<
  StoredQueueEntry,
  'id' | 'ticket' | 'orderingKey' | 'status' | 'recallCount' | 'updatedAt' | 'version'
>;

/**
 * Inserts a waiting entry with a fresh id, the line's next ticket and its ordering key (from
 * its effective instant, priority and aging). Returns the entry as stored.
 *
 * @throws `ValidationError` when the fields do not make a valid entry.
 */
export async function insertWaitingEntry(
  unit: WalkInWorkScope,
  aging: QueueAging,
  fields: NewEntryFields,
): Promise<StoredQueueEntry> {
  const number = await unit.entries.nextTicket(
    fields.tenantId,
    fields.clinicId,
    fields.queueId,
    fields.checkedInAt,
  );
  const entry = checkedQueueEntry({
    ...fields,
    id: QueueEntryId.parse(uuidv7()),
    ticket: ticketFor(fields.source, number),
    orderingKey: orderingKey(Date.parse(fields.effectiveAt), fields.priority, aging),
    status: 'waiting',
    recallCount: 0,
    updatedAt: fields.checkedInAt,
    version: 0,
  });
  await unit.entries.insert(entry);
  return entry;
}
