import { authorize } from '@carequeue/core';
import { parseQueueArguments } from './queue-arguments.js';
import { computeQueueAnalytics } from './queue-analytics.js';
import { auditEntryRead, authorizeAtClinic, loadAuthorizedEntry } from './queue-entry-access.js';
import { serviceTypeOf, waitsAhead } from './queue-entry-rules.js';
import type { QueueService } from './queue-service.js';
import { queueSummaryCacheKey } from './queue-summary-cache-key.js';
import { summarizeQueue } from './queue-summary.js';
import type { QueueUseCaseContext } from './queue-use-case-context.js';
import { NotWaitingError } from './walk-in-errors.js';

export type { EntryWaitEstimate } from '@carequeue/core';

/** A line's summary, a waiting patient's expected wait, and analytics over a range. */
export function lineAnalyticsUseCases({
  settings,
}: QueueUseCaseContext): Pick<QueueService, 'summary' | 'estimateWait' | 'analytics'> {
  const { unitOfWork, audit, cache, clock, estimator } = settings;

  return {
    async summary(actor, clinicId, queueId) {
      ({ actor, clinicId, queueId } = parseQueueArguments('summary', { actor, clinicId, queueId }));
      authorizeAtClinic(actor, 'queue:read', clinicId);
      return cache.getOrSet(
        queueSummaryCacheKey(clinicId, queueId),
        async () => {
          const live = await unitOfWork.run(actor, (unit) =>
            unit.entries.listLive(actor.tenantId, queueId),
          );
          return summarizeQueue(
            clinicId,
            queueId,
            live.filter((entry) => entry.clinicId === clinicId),
            clock.now(),
          );
        },
        { tenant: actor.tenantId },
      );
    },

    async estimateWait(actor, entryId) {
      ({ actor, entryId } = parseQueueArguments('estimateWait', { actor, entryId }));
      authorize(actor, 'queue:read');
      const entry = await unitOfWork.run(actor, (unit) =>
        loadAuthorizedEntry(actor, unit, entryId, 'queue:read'),
      );
      if (entry.status !== 'waiting') throw new NotWaitingError();
      // Only service types and elapsed times of the others leave this function.
      const live = await unitOfWork.readLine((entries) =>
        entries.listLive(entry.tenantId, entry.queueId),
      );
      const ahead = live.filter((other) => waitsAhead(other, entry));
      const serving = live.filter(
        (other) => other.status === 'called' || other.status === 'in_service',
      );
      const now = clock.now();
      const line = { tenantId: entry.tenantId, clinicId: entry.clinicId, queueId: entry.queueId };
      const servers = settings.activeServers
        ? await settings.activeServers(line)
        : Math.max(1, serving.length);
      const estimate = await estimator.estimate({
        entryId: entry.id,
        clinicId: entry.clinicId,
        serviceType: serviceTypeOf(entry),
        snapshot: {
          activeServers: Math.max(1, Math.round(servers)),
          ahead: ahead.map((other) => ({ serviceType: serviceTypeOf(other) })),
          inService: serving.map((other) => ({
            serviceType: serviceTypeOf(other),
            elapsedMs: Math.max(
              0,
              now - Date.parse(other.serviceStartedAt ?? other.calledAt ?? other.updatedAt),
            ),
          })),
        },
      });
      await auditEntryRead(audit, actor, entry);
      return {
        entryId: entry.id,
        position: ahead.length + 1,
        p50Ms: estimate.p50Ms,
        p90Ms: estimate.p90Ms,
      };
    },

    async analytics(actor, request) {
      ({ actor, request } = parseQueueArguments('analytics', { actor, request }));
      authorizeAtClinic(actor, 'queue:read', request.clinicId);
      const from = new Date(Date.parse(request.from)).toISOString();
      const to = new Date(Date.parse(request.to)).toISOString();
      const entries = await unitOfWork.run(actor, (unit) =>
        unit.entries.listCheckedInBetween(actor.tenantId, request.clinicId, from, to),
      );
      return computeQueueAnalytics(entries, request.timeZone ?? 'UTC');
    },
  };
}
