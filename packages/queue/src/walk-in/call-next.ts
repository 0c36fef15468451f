import {
  assertTransition,
  authorize,
  queueEntryTransitions,
  type ClinicId,
  type QueueEntryStatus,
  type QueueId,
} from '@carequeue/core';
import { markAppointmentNoShow } from './appointment-no-show.js';
import { onlyChangedEntry, type EntryChange } from './entry-changes.js';
import { updateEntry } from './entry-status-change.js';
import { parseQueueArguments } from './queue-arguments.js';
import { authorizeAtClinic, loadAuthorizedEntry } from './queue-entry-access.js';
import { checkedQueueEntry } from './queue-entry-checks.js';
import type { StoredQueueEntry } from './queue-entry-record.js';
import { withoutCall } from './queue-entry-rules.js';
import type { QueueService } from './queue-service.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';

/**
 * Which line to call from and where the patient should go.
 *
 * @example
 * ```ts
 * await queue.callNext(actor, { clinicId, queueId, counter: 'Room 3' });
 * ```
 */
export interface CallNextRequest {
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  /** The counter, desk or room shown on screens. */
  readonly counter?: string;
}

/** Calling the next patient, recalling one who did not come, and no-shows. */
export function callNextUseCases(
  context: QueueUseCaseContext,
): Pick<QueueService, 'callNext' | 'recall' | 'markNoShow' | 'sweepNoShows'> {
  const { settings, runEntryChanges, statusChangeMethod } = context;
  const { audit, maxRecalls, noShowTimeoutMs } = settings;

  return {
    async callNext(actor, request) {
      ({ actor, request } = parseQueueArguments('callNext', { actor, request }));
      authorizeAtClinic(actor, 'queue:operate', request.clinicId);
      const changes = await runEntryChanges(actor, async (unit, now) => {
        const claimed = await unit.entries.claimNext({
          tenantId: actor.tenantId,
          clinicId: request.clinicId,
          queueId: request.queueId,
          at: now,
          ...(request.counter === undefined ? {} : { counter: request.counter }),
          ...(actor.staffId === undefined ? {} : { calledBy: actor.staffId }),
        });
        if (claimed === undefined) return [];
        assertTransition(queueEntryTransitions, 'waiting', 'called');
        // The repository moved the entry to called as it claimed it; the waiting entry it was
        // is rebuilt for the audit trail and the event.
        const before: StoredQueueEntry = {
          ...withoutCall(claimed),
          status: 'waiting',
          version: claimed.version - 1,
        };
        return [{ before, after: claimed, type: 'called' }];
      });
      return changes[0]?.after;
    },

    async recall(actor, entryId) {
      ({ actor, entryId } = parseQueueArguments('recall', { actor, entryId }));
      authorize(actor, 'queue:operate');
      const changes = await runEntryChanges(actor, async (unit, now) => {
        const current = await loadAuthorizedEntry(actor, unit, entryId, 'queue:operate');
        const recallsUsedUp = current.recallCount >= maxRecalls;
        const to: QueueEntryStatus = recallsUsedUp ? 'no_show' : 'waiting';
        assertTransition(queueEntryTransitions, current.status, to);
        const next = checkedQueueEntry({
          ...(recallsUsedUp ? current : withoutCall(current)),
          status: to,
          recallCount: recallsUsedUp ? current.recallCount : current.recallCount + 1,
          ...(recallsUsedUp ? { endedAt: now } : {}),
          updatedAt: now,
          version: current.version + 1,
        });
        await updateEntry(unit, next);
        if (recallsUsedUp) await markAppointmentNoShow(audit, actor, unit, next, now);
        return [{ before: current, after: next, type: recallsUsedUp ? 'no_show' : 'recalled' }];
      });
      return onlyChangedEntry(changes);
    },

    markNoShow: statusChangeMethod({ operation: 'markNoShow', to: 'no_show', type: 'no_show' }),

    async sweepNoShows(actor, line) {
      ({ actor, line } = parseQueueArguments('sweepNoShows', { actor, line }));
      authorizeAtClinic(actor, 'queue:operate', line.clinicId);
      const changes = await runEntryChanges(actor, async (unit, now) => {
        const cutoff = new Date(Date.parse(now) - noShowTimeoutMs).toISOString();
        const overdue = await unit.entries.listCalledBefore(actor.tenantId, line.queueId, cutoff);
        const noShows: EntryChange[] = [];
        for (const current of overdue.filter((entry) => entry.clinicId === line.clinicId)) {
          const next: StoredQueueEntry = {
            ...current,
            status: 'no_show',
            endedAt: now,
            updatedAt: now,
            version: current.version + 1,
          };
          // An entry changed since it was listed (served meanwhile) is left alone.
          if (await unit.entries.update(next)) {
            await markAppointmentNoShow(audit, actor, unit, next, now);
            noShows.push({ before: current, after: next, type: 'no_show' });
          }
        }
        return noShows;
      });
      return changes.length;
    },
  };
}
