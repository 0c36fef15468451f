import {
  assertTransition,
  authorize,
  queueEntryTransitions,
  type ClinicId,
  type QueueId,
  type ServiceTypeId,
} from '@carequeue/core';
import type { EntryChange } from './entry-changes.js';
import { updateEntry } from './entry-status-change.js';
import { insertWaitingEntry } from './new-queue-entry.js';
import { parseQueueArguments } from './queue-arguments.js';
import { authorizationScopeOf, loadAuthorizedEntry } from './queue-entry-access.js';
import { checkedPriority, checkedQueueEntry } from './queue-entry-checks.js';
import { withPosition } from './queue-entry-view.js';
import type { QueueService } from './queue-service.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';

/**
 * Where a patient in service is sent next.
 *
 * @example
 * ```ts
 * await queue.transfer(actor, entryId, { queueId: labQueueId });
 * ```
 */
export interface TransferRequest {
  readonly queueId: QueueId;
  /** @default the clinic of the entry */
  readonly clinicId?: ClinicId;
  /** @default the entry's priority */
  readonly priority?: number;
  /** @default the entry's service type */
  readonly serviceTypeId?: ServiceTypeId;
}

/** Sending a patient in service on to another line, as a new entry there. */
export function transferUseCases(context: QueueUseCaseContext): Pick<QueueService, 'transfer'> {
  const { settings, runEntryChanges } = context;

  return {
    async transfer(actor, entryId, request) {
      ({ actor, entryId, request } = parseQueueArguments('transfer', { actor, entryId, request }));
      authorize(actor, 'queue:operate');
      const changes = await runEntryChanges(actor, async (unit, now) => {
        const current = await loadAuthorizedEntry(actor, unit, entryId, 'queue:operate');
        assertTransition(queueEntryTransitions, current.status, 'transferred');
        const clinicId = request.clinicId ?? current.clinicId;
        authorize(actor, 'queue:operate', { ...authorizationScopeOf(current), clinicId });
        // Both lines up front, in a fixed order: a transfer the other way waits instead of
        // holding the target line while this one holds the source (a deadlock).
        await unit.entries.lockLines(current.tenantId, [current.queueId, request.queueId]);
        const serviceTypeId = request.serviceTypeId ?? current.serviceTypeId;
        const target = await insertWaitingEntry(unit, settings.aging, {
          tenantId: current.tenantId,
          clinicId,
          queueId: request.queueId,
          ...(current.patientId === undefined ? {} : { patientId: current.patientId }),
          ...(current.appointmentId === undefined ? {} : { appointmentId: current.appointmentId }),
          ...(current.guestName === undefined ? {} : { guestName: current.guestName }),
          ...(serviceTypeId === undefined ? {} : { serviceTypeId }),
          source: 'transfer',
          priority: checkedPriority(request.priority ?? current.priority),
          checkedInAt: now,
          effectiveAt: now,
          transferredFromEntryId: current.id,
        });
        const next = checkedQueueEntry({
          ...current,
          status: 'transferred',
          transferredToEntryId: target.id,
          endedAt: now,
          updatedAt: now,
          version: current.version + 1,
        });
        await updateEntry(unit, next);
        return [
          { before: current, after: next, type: 'transferred' },
          { before: null, after: target, type: 'checked_in' },
        ];
      });
      const [from, to] = changes as [EntryChange, EntryChange];
      return { from: from.after, to: await withPosition(settings.unitOfWork, to.after) };
    },
  };
}
