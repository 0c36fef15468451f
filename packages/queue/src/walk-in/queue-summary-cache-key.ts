import type { ClinicId, QueueId } from '@carequeue/core';

/** The cache key of a line's summary (ids only, no PHI); every change of the line drops it. */
export function queueSummaryCacheKey(clinicId: ClinicId, queueId: QueueId): string {
  return `queue-summaries:${clinicId}:${queueId}`;
}
