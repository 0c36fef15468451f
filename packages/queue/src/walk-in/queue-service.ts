import type { Actor, ClinicId, QueueEntryId, QueueId } from '@carequeue/core';
import { awayAndReturnUseCases } from './away-and-return.js';
import { callNextUseCases, type CallNextRequest } from './call-next.js';
import { checkInUseCases, type AppointmentCheckIn, type WalkInCheckIn } from './check-in.js';
import { lineAnalyticsUseCases, type EntryWaitEstimate } from './line-analytics.js';
import { lineReadUseCases } from './line-reads.js';
import type { QueueEvent } from './ports/queue-event.js';
import type { QueueAnalytics, QueueAnalyticsRequest } from './queue-analytics.js';
import type { QueueEntryView } from './queue-entry-view.js';
import type { QueueServiceOptions } from './queue-service-options.js';
import type { QueueSummary } from './queue-summary.js';
import { queueUseCaseContext } from './queue-use-case-context.js';
import { servingUseCases } from './serving.js';
import { transferUseCases, type TransferRequest } from './transfer.js';

/**
 * The walk-in queue: check-in of walk-ins and arriving appointments into one line, triage
 * with aging, race-free call-next, recall and no-show, away and return, leaving, transfer,
 * service, summaries, estimates and analytics. Every method calls `authorize()`; every change
 * appends queue events and audit events in its transaction.
 *
 * Every method first checks its arguments (ids, shapes, string lengths and characters) and
 * throws a `ValidationError` naming the argument path, never its value, before any port is
 * called.
 *
 * @example
 * ```ts
 * const entry = await queue.checkInWalkIn(receptionist, { clinicId, queueId, patientId });
 * const called = await queue.callNext(clinician, { clinicId, queueId, counter: 'Room 2' });
 * ```
 */
export interface QueueService {
  /**
   * Adds a walk-in to the end of its priority band.
   *
   * @throws `ForbiddenError` without `queue:operate` at the clinic; `ValidationError`;
   * {@link QueueClinicMismatchError} when the queue belongs to another clinic.
   */
  checkInWalkIn(actor: Actor, input: WalkInCheckIn): Promise<QueueEntryView>;
  /**
   * Adds an arriving appointment, ordered by its start minus the grace period.
   *
   * @throws `NotFoundError`; {@link AppointmentNotCheckableError}; {@link AlreadyQueuedError}; `ForbiddenError`.
   */
  checkInAppointment(actor: Actor, input: AppointmentCheckIn): Promise<QueueEntryView>;
  /**
   * The entry with its position; a patient may read their own.
   *
   * @throws `NotFoundError`; `ForbiddenError`.
   */
  get(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /**
   * The live entries of a line (waiting, away, called, in service) in order, with positions.
   *
   * @throws `ForbiddenError` without `queue:read` at the clinic.
   */
  listLine(actor: Actor, clinicId: ClinicId, queueId: QueueId): Promise<QueueEntryView[]>;
  /**
   * Sets a waiting entry's triage priority; its place follows from its check-in time and the new priority.
   *
   * @throws {@link NotWaitingError} unless waiting; `ValidationError`; `ForbiddenError`.
   */
  triage(actor: Actor, entryId: QueueEntryId, priority: number): Promise<QueueEntryView>;
  /**
   * Claims the head of the line for the actor and counter; undefined when nobody is waiting.
   * Concurrent callers never get the same patient.
   *
   * @throws `ForbiddenError` without `queue:operate` at the clinic.
   */
  callNext(actor: Actor, request: CallNextRequest): Promise<QueueEntryView | undefined>;
  /**
   * Puts a called patient who did not come back in line at their place; once `maxRecalls` are
   * used up the patient becomes a no-show instead.
   *
   * @throws `InvalidTransitionError` unless called.
   */
  recall(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /**
   * Marks a called patient a no-show; an appointment the entry came from becomes a no-show in
   * the same transaction when core's appointment table allows it.
   *
   * @throws `InvalidTransitionError` unless called.
   */
  markNoShow(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /**
   * Marks every patient of the line called longer than `noShowTimeoutMs` ago a no-show; returns how many.
   *
   * @throws `ForbiddenError`.
   */
  sweepNoShows(actor: Actor, line: Omit<CallNextRequest, 'counter'>): Promise<number>;
  /** A waiting patient steps away; the place is kept. @throws `InvalidTransitionError`. */
  stepAway(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /** A patient who stepped away is back, at the place they had. @throws `InvalidTransitionError`. */
  returnToLine(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /**
   * A waiting patient left without being seen. An appointment the entry came from stays
   * `arrived`: no appointment status means "left unseen" (a no-show would count a patient who
   * came as absent), and the entry, its event and audit record what happened.
   *
   * @throws `InvalidTransitionError`.
   */
  leave(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /** A waiting patient withdrew. @throws `InvalidTransitionError`. */
  cancel(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /** The called patient is at the counter. @throws `InvalidTransitionError`. */
  startService(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /** Service finished; its duration feeds the service-time tracker. @throws `InvalidTransitionError`. */
  complete(actor: Actor, entryId: QueueEntryId): Promise<QueueEntryView>;
  /**
   * Ends service here and puts the patient in another line as a new entry.
   *
   * @throws `InvalidTransitionError` unless in service; `ForbiddenError` at either clinic.
   */
  transfer(
    actor: Actor,
    entryId: QueueEntryId,
    request: TransferRequest,
  ): Promise<{ readonly from: QueueEntryView; readonly to: QueueEntryView }>;
  /**
   * Length, now serving, average and longest wait of the line, cached 30 s and dropped on every change.
   *
   * @throws `ForbiddenError`.
   */
  summary(actor: Actor, clinicId: ClinicId, queueId: QueueId): Promise<QueueSummary>;
  /**
   * The expected wait of a waiting entry until called (P50 and P90).
   *
   * @throws `NotFoundError`; `ForbiddenError`; {@link NotWaitingError} when not waiting.
   */
  estimateWait(actor: Actor, entryId: QueueEntryId): Promise<EntryWaitEstimate>;
  /**
   * Waits, service times per type and drop-off (left and no-show) per day and hour for the
   * entries checked in within the range.
   *
   * @throws `ForbiddenError`; `ValidationError` for an invalid range or time zone.
   */
  analytics(actor: Actor, request: QueueAnalyticsRequest): Promise<QueueAnalytics>;
  /**
   * The events of a line after a version, for a subscriber catching up.
   *
   * @throws `ForbiddenError`.
   */
  events(
    actor: Actor,
    line: Omit<CallNextRequest, 'counter'>,
    afterVersion: number,
    limit?: number,
  ): Promise<QueueEvent[]>;
}

/**
 * Creates the {@link QueueService}.
 *
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 * import { createCacheService, defaultNamespaces } from '@carequeue/cache';
 * import { systemClock } from '@carequeue/core';
 * import { createQueueService, memoryWalkInUnitOfWork } from '@carequeue/queue';
 *
 * const auditStore = memoryAuditStore();
 * const queue = createQueueService({
 *   unitOfWork: memoryWalkInUnitOfWork({ auditStore }),
 *   audit: createAuditLogService({ store: auditStore, encryptor }),
 *   cache: createCacheService({ namespaces: defaultNamespaces }),
 *   clock: systemClock,
 *   aging: { maxWaitMs: 45 * 60_000 },
 *   afterCommit: (events) => bus.publish(events),
 * });
 * ```
 */
export function createQueueService(options: QueueServiceOptions): QueueService {
  const context = queueUseCaseContext(options);
  return {
    ...checkInUseCases(context),
    ...lineReadUseCases(context),
    ...callNextUseCases(context),
    ...awayAndReturnUseCases(context),
    ...servingUseCases(context),
    ...transferUseCases(context),
    ...lineAnalyticsUseCases(context),
  };
}
