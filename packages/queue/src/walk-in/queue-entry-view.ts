import type { StoredQueueEntry } from './queue-entry-record.js';
import type { WalkInUnitOfWork } from './ports/walk-in-unit-of-work.js';

/**
 * A queue entry as the service returns it: the stored entry and, while it is waiting, its
 * 1-based position, derived from the ordering key when it is read.
 *
 * @example
 * ```ts
 * const entry: QueueEntryView = await queue.get(actor, entryId);
 * if (entry.position !== undefined) showPosition(entry.position);
 * ```
 */
export type QueueEntryView = StoredQueueEntry & { readonly position?: number };

/**
 * The entry with its position when it is waiting. A patient may see only their own rows, yet
 * their position counts everyone ahead: the count reads the whole line, so call this only once
 * the actor has been authorized for the entry.
 */
export async function withPosition(
  unitOfWork: WalkInUnitOfWork,
  entry: StoredQueueEntry,
): Promise<QueueEntryView> {
  if (entry.status !== 'waiting') return entry;
  return {
    ...entry,
    position: (await unitOfWork.readLine((entries) => entries.countAhead(entry))) + 1,
  };
}

/** Positions of a line's live entries in order: the waiting ones count 1, 2, 3, … */
export function withLinePositions(live: readonly StoredQueueEntry[]): QueueEntryView[] {
  let position = 0;
  return live.map((entry): QueueEntryView => {
    if (entry.status !== 'waiting') return entry;
    position += 1;
    return { ...entry, position };
  });
}
