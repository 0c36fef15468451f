/**
 * Argument schemas of the wait-time estimators, the service time tracker, the model client and
 * the estimate recorder. They bound what one call can cost: an `activeServers` of a billion would
 * otherwise allocate a billion server loads.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { singleLine } from '@carequeue/core';

/** The most servers one snapshot may count: far above any clinic's counters and rooms. */
export const MAX_ACTIVE_SERVERS = 1000;

/** The most patients ahead or in service one snapshot may list. */
export const MAX_SNAPSHOT_PATIENTS = 10_000;

/** The most planned staffing changes one snapshot may list: one every 10 minutes for a day. */
export const MAX_STAFFING_CHANGES = 144;

/** A service type key (a service type id, or `default`). */
export const ServiceTypeArgument = singleLine(z.string().min(1).max(200));

const Identifier = singleLine(z.string().min(1).max(200));
const Milliseconds = z.number().nonnegative();

/** What `WaitTimeEstimator.estimate` takes. */
export const QueueSnapshotArgument = z.object({
  activeServers: z.int().min(1).max(MAX_ACTIVE_SERVERS),
  ahead: z.array(z.object({ serviceType: ServiceTypeArgument })).max(MAX_SNAPSHOT_PATIENTS),
  inService: z
    .array(z.object({ serviceType: ServiceTypeArgument, elapsedMs: Milliseconds }))
    .max(MAX_SNAPSHOT_PATIENTS),
  staffingPlan: z
    .array(
      z.object({
        afterMs: Milliseconds,
        activeServers: z.int().min(1).max(MAX_ACTIVE_SERVERS),
      }),
    )
    .max(MAX_STAFFING_CHANGES)
    .optional(),
});

/** What `HybridWaitTimeEstimator.estimate` takes. */
export const HybridEstimateRequestArgument = z.object({
  entryId: Identifier,
  clinicId: Identifier,
  serviceType: ServiceTypeArgument,
  snapshot: QueueSnapshotArgument,
});

/** What `WaitTimeModel.predict` takes. */
export const WaitTimeFeaturesArgument = QueueSnapshotArgument.extend({
  clinicId: Identifier,
  serviceType: ServiceTypeArgument,
  position: z.int().min(1),
});

/** The options of a call that can be aborted. */
export const CallOptionsArgument = z
  .strictObject({ signal: z.instanceof(AbortSignal).optional() })
  .optional();

const WaitEstimateArgument = z.object({ p50Ms: Milliseconds, p90Ms: Milliseconds });

/** Argument schemas of each `EstimateRecorder` method, in call order. */
export const recorderArguments = {
  recordEstimate: [
    [
      'record',
      z.object({
        entryId: Identifier,
        clinicId: Identifier,
        estimatedAt: z.number(),
        source: z.enum(['rule', 'model']),
        rule: WaitEstimateArgument,
        model: WaitEstimateArgument.optional(),
      }),
    ],
  ],
  recordActual: [
    ['entryId', Identifier],
    ['actualWaitMs', Milliseconds],
  ],
  accuracy: [['query', z.object({ clinicId: Identifier.optional() }).optional()]],
} as const;
