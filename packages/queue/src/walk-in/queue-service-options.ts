import { z } from 'zod';
import type { Actor, ClinicId, Clock, QueueId } from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { CacheService } from '@carequeue/cache';
import {
  createServiceTimeTracker,
  createWaitTimeEstimator,
  type HybridEstimateRequest,
  type ServiceTimeTracker,
  type WaitEstimate,
} from '../estimation/index.js';
import {
  checkFactoryOptions,
  clockOption,
  functionOption,
  portOption,
} from '../config/factory-options.js';
import type { QueueEvent, QueueEventSink } from './ports/queue-event.js';
import type { WalkInUnitOfWork } from './ports/walk-in-unit-of-work.js';
import { DEFAULT_QUEUE_AGING, type QueueAging } from './queue-ordering.js';

/**
 * An estimator of one entry's wait: the hybrid estimator fits as it is; a rule estimator fits
 * as `{ estimate: (request) => rule.estimate(request.snapshot) }`.
 *
 * @example
 * ```ts
 * const estimator: EntryWaitEstimator = createHybridWaitTimeEstimator(hybridOptions);
 * ```
 */
export interface EntryWaitEstimator {
  estimate(request: HybridEstimateRequest): WaitEstimate | Promise<WaitEstimate>;
}

/**
 * The line a hook is asked about.
 *
 * @example
 * ```ts
 * const servers = (line: QueueLine) => staffOnDuty(line.clinicId);
 * ```
 */
export interface QueueLine {
  readonly tenantId: Actor['tenantId'];
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
}

/**
 * Dependencies and settings of {@link createQueueService}.
 *
 * @example
 * ```ts
 * const options: QueueServiceOptions = { unitOfWork, audit, cache, clock: systemClock };
 * ```
 */
export interface QueueServiceOptions {
  readonly unitOfWork: WalkInUnitOfWork;
  readonly audit: AuditLogService;
  /** A cache with the `queue-summaries` namespace (30 s). */
  readonly cache: CacheService;
  readonly clock: Clock;
  /** @default {@link DEFAULT_QUEUE_AGING} */
  readonly aging?: QueueAging;
  /**
   * Recalls allowed before the next recall marks the patient a no-show.
   *
   * @default 2
   */
  readonly maxRecalls?: number;
  /**
   * How long a called patient may take to come before {@link QueueService.sweepNoShows} marks them a no-show.
   *
   * @default 600_000 (10 minutes)
   */
  readonly noShowTimeoutMs?: number;
  /**
   * An appointment is ordered as if it had checked in this long before its start.
   *
   * @default 600_000 (10 minutes)
   */
  readonly appointmentGraceMs?: number;
  /**
   * Service times per service type; completed services are fed into it.
   *
   * @default a tracker with a 10-minute (sd 5) prior
   */
  readonly serviceTimes?: ServiceTimeTracker;
  /** @default the rule estimator over `serviceTimes` */
  readonly estimator?: EntryWaitEstimator;
  /**
   * How many staff serve the line now.
   *
   * @default the number of patients called or in service, at least 1
   */
  readonly activeServers?: (line: QueueLine) => number | Promise<number>;
  /** Called inside the transaction of every change with its events (an outbox, a NOTIFY). */
  readonly eventSink?: QueueEventSink;
  /** Called after the transaction committed, with its events (an in-process event bus). */
  readonly afterCommit?: (events: readonly QueueEvent[]) => void | Promise<void>;
  /**
   * Receives errors thrown by `afterCommit`; the change has committed by then.
   *
   * @default errors are ignored
   */
  readonly onHookError?: (error: unknown) => void;
}

/** The options of the queue service with every default filled in, as its use cases read them. */
export type QueueServiceSettings = QueueServiceOptions &
  Required<
    Pick<
      QueueServiceOptions,
      | 'aging'
      | 'maxRecalls'
      | 'noShowTimeoutMs'
      | 'appointmentGraceMs'
      | 'serviceTimes'
      | 'estimator'
    >
  >;

/** A duration option: whole milliseconds up to a year, so a date computed from it stays valid. */
const durationMsOption = z
  .int()
  .nonnegative()
  .max(366 * 24 * 60 * 60 * 1000);

const QueueServiceOptionsSchema = z.object({
  unitOfWork: portOption('a WalkInUnitOfWork', ['run', 'readLine']),
  audit: portOption('an AuditLogService', ['buildModificationEvent', 'logDataAccess']),
  cache: portOption('a CacheService', ['getOrSet', 'delete']),
  clock: clockOption,
  aging: z.object({ maxWaitMs: z.number().positive() }).optional(),
  maxRecalls: z.int().nonnegative().max(1000).optional(),
  noShowTimeoutMs: durationMsOption.optional(),
  appointmentGraceMs: durationMsOption.optional(),
  serviceTimes: portOption('a ServiceTimeTracker', ['observe', 'moments']).optional(),
  estimator: portOption('an EntryWaitEstimator', ['estimate']).optional(),
  activeServers: functionOption().optional(),
  eventSink: portOption('a QueueEventSink', ['write']).optional(),
  afterCommit: functionOption().optional(),
  onHookError: functionOption().optional(),
});

/**
 * Checks the options of {@link createQueueService} and fills in their defaults.
 *
 * @throws `QueueConfigError` naming the first option that is missing or of the wrong kind.
 */
export function queueServiceSettings(options: QueueServiceOptions): QueueServiceSettings {
  checkFactoryOptions('createQueueService', QueueServiceOptionsSchema, options);
  const serviceTimes =
    options.serviceTimes ??
    createServiceTimeTracker({ defaultPrior: { meanMs: 600_000, sdMs: 300_000 } });
  const ruleEstimator = createWaitTimeEstimator({ tracker: serviceTimes });
  return {
    ...options,
    aging: options.aging ?? DEFAULT_QUEUE_AGING,
    maxRecalls: options.maxRecalls ?? 2,
    noShowTimeoutMs: options.noShowTimeoutMs ?? 600_000,
    appointmentGraceMs: options.appointmentGraceMs ?? 600_000,
    serviceTimes,
    estimator: options.estimator ?? {
      estimate: (request) => ruleEstimator.estimate(request.snapshot),
    },
  };
}
