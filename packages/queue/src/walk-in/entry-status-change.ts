import {
  assertTransition,
  authorize,
  queueEntryTransitions,
  type Actor,
  type QueueEntryId,
  type QueueEntryStatus,
} from '@carequeue/core';
import { StaleVersionError } from '../errors.js';
import { markAppointmentNoShow } from './appointment-no-show.js';
import { onlyChangedEntry, type RunEntryChanges } from './entry-changes.js';
import type { QueueEventType } from './ports/queue-event.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import { parseEntryArguments, type QueueMethod } from './queue-arguments.js';
import { loadAuthorizedEntry } from './queue-entry-access.js';
import { checkedQueueEntry } from './queue-entry-checks.js';
import type { StoredQueueEntry } from './queue-entry-record.js';
import { FINAL_QUEUE_STATUSES } from './queue-entry-rules.js';
import type { QueueEntryView } from './queue-entry-view.js';
import type { QueueServiceSettings } from './queue-service-options.js';
import { NotWaitingError } from './walk-in-errors.js';

/** One entry moving to a status, as a service method asks for it. */
export interface StatusChange {
  /** The service method, named in argument errors as `queue.<operation>`. */
  readonly operation: QueueMethod;
  readonly to: QueueEntryStatus;
  readonly type: QueueEventType;
  /** The entry with what this change sets besides status, `endedAt`, `updatedAt` and version. */
  readonly reshape?: (current: StoredQueueEntry, now: string) => StoredQueueEntry;
}

/**
 * Moves one entry the actor may operate to a status in its own unit of work and returns it.
 * A final status stamps `endedAt`; a no-show also makes the appointment a no-show.
 *
 * @throws `ValidationError`; `NotFoundError`; `ForbiddenError`; `InvalidTransitionError` when
 * the status may not follow the current one; `StaleVersionError`.
 */
export type ChangeEntryStatus = (
  actor: Actor,
  entryId: QueueEntryId,
  change: StatusChange,
) => Promise<QueueEntryView>;

/** A service method that makes one {@link StatusChange} to the entry it is given. */
export type EntryStatusMethod = (actor: Actor, entryId: QueueEntryId) => Promise<QueueEntryView>;

/**
 * Writes the next version of an entry.
 *
 * @throws `StaleVersionError` when the entry changed since it was read.
 */
export async function updateEntry(unit: WalkInWorkScope, next: StoredQueueEntry): Promise<void> {
  if (!(await unit.entries.update(next))) throw new StaleVersionError('queue entry');
}

/** The {@link ChangeEntryStatus} of one queue service. */
export function entryStatusChanger(
  settings: QueueServiceSettings,
  runEntryChanges: RunEntryChanges,
): ChangeEntryStatus {
  return async (actor, entryId, { operation, to, type, reshape }) => {
    ({ actor, entryId } = parseEntryArguments(operation, { actor, entryId }));
    authorize(actor, 'queue:operate');
    const changes = await runEntryChanges(actor, async (unit, now) => {
      const current = await loadAuthorizedEntry(actor, unit, entryId, 'queue:operate');
      // Triage changes the priority of a waiting entry without changing its status.
      if (type === 'triaged') {
        if (current.status !== 'waiting') throw new NotWaitingError();
      } else {
        assertTransition(queueEntryTransitions, current.status, to);
      }
      const next = checkedQueueEntry({
        ...(reshape === undefined ? current : reshape(current, now)),
        status: to,
        ...(FINAL_QUEUE_STATUSES.includes(to) ? { endedAt: now } : {}),
        updatedAt: now,
        version: current.version + 1,
      });
      await updateEntry(unit, next);
      if (to === 'no_show') await markAppointmentNoShow(settings.audit, actor, unit, next, now);
      return [{ before: current, after: next, type }];
    });
    return onlyChangedEntry(changes);
  };
}
