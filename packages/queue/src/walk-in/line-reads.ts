import { authorize } from '@carequeue/core';
import { parseQueueArguments } from './queue-arguments.js';
import { auditEntryRead, authorizeAtClinic, loadAuthorizedEntry } from './queue-entry-access.js';
import { withLinePositions, withPosition } from './queue-entry-view.js';
import type { QueueService } from './queue-service.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';

/** Reading an entry, a live line and a line's events. */
export function lineReadUseCases({
  settings,
}: QueueUseCaseContext): Pick<QueueService, 'get' | 'listLine' | 'events'> {
  const { unitOfWork, audit } = settings;

  return {
    async get(actor, entryId) {
      ({ actor, entryId } = parseQueueArguments('get', { actor, entryId }));
      authorize(actor, 'queue:read');
      const entry = await withPosition(
        unitOfWork,
        await unitOfWork.run(actor, (unit) =>
          loadAuthorizedEntry(actor, unit, entryId, 'queue:read'),
        ),
      );
      await auditEntryRead(audit, actor, entry);
      return entry;
    },

    async listLine(actor, clinicId, queueId) {
      ({ actor, clinicId, queueId } = parseQueueArguments('listLine', {
        actor,
        clinicId,
        queueId,
      }));
      authorizeAtClinic(actor, 'queue:read', clinicId);
      const live = await unitOfWork.run(actor, (unit) =>
        unit.entries.listLive(actor.tenantId, queueId),
      );
      const views = withLinePositions(live.filter((entry) => entry.clinicId === clinicId));
      await audit.logDataAccess(
        actor.userId,
        { type: 'QueueEntry' },
        'search',
        { queueId, entryIds: views.map((entry) => entry.id) },
        { tenantId: actor.tenantId, patientId: null },
      );
      return views;
    },

    async events(actor, line, afterVersion, limit) {
      ({ actor, line, afterVersion, limit } = parseQueueArguments('events', {
        actor,
        line,
        afterVersion,
        limit,
      }));
      authorizeAtClinic(actor, 'queue:read', line.clinicId);
      const found = await unitOfWork.run(actor, (unit) =>
        unit.entries.listEvents(
          actor.tenantId,
          line.queueId,
          afterVersion,
          Math.min(Math.max(1, Math.trunc(limit ?? 500)), 1000),
        ),
      );
      return found.filter((event) => event.clinicId === line.clinicId);
    },
  };
}
