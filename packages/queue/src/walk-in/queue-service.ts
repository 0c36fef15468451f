import { z } from 'zod';
import {
  appointmentTransitions,
  assertTransition,
  authorize,
  canTransition,
  NotFoundError,
  parseArguments,
  parseOrThrow,
  QueueEntry,
  QueueEntryId,
  queueEntryTransitions,
  uuidv7,
  ValidationError,
  type Actor,
  type AppointmentId,
  type ClinicId,
  type Clock,
  type PatientId,
  type QueueEntryStatus,
  type QueueId,
  type ServiceTypeId,
} from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { CacheService } from '@carequeue/cache';
import { StaleVersionError } from '../errors.js';
import {
  createServiceTimeTracker,
  createWaitTimeEstimator,
  type HybridEstimateRequest,
  type ServiceTimeTracker,
  type WaitEstimate,
} from '../estimation/index.js';
import {
  computeQueueAnalytics,
  type QueueAnalytics,
  type QueueAnalyticsRequest,
} from './queue-analytics.js';
import type { StoredQueueEntry } from './queue-entry-record.js';
import type {
  QueueEvent,
  QueueEventSink,
  QueueEventType,
  PendingQueueEvent,
} from './ports/queue-event.js';
import {
  DEFAULT_QUEUE_AGING,
  orderingKey,
  PRIORITY_RANGE,
  type QueueAging,
} from './queue-ordering.js';
import { queueArguments } from './queue-arguments.js';
import { summarizeQueue, type QueueSummary } from './queue-summary.js';
import { AppointmentNotCheckableError, NotWaitingError } from './walk-in-errors.js';
import type { WalkInUnitOfWork, WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import {
  checkFactoryOptions,
  clockOption,
  functionOption,
  portOption,
} from '../config/factory-options.js';

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
 * A walk-in joining a queue. `patientId` links a registered patient; an anonymous walk-in
 * gives only a `guestName`, which is PHI and never leaves the entry.
 *
 * @example
 * ```ts
 * const walkIn: WalkInCheckIn = { clinicId, queueId, patientId, serviceTypeId, priority: 0 };
 * ```
 */
export interface WalkInCheckIn {
  readonly clinicId: ClinicId;
  readonly queueId: QueueId;
  readonly patientId?: PatientId;
  readonly guestName?: string;
  readonly serviceTypeId?: ServiceTypeId;
  /** Triage priority from -100 to 100, higher first. @default 0 */
  readonly priority?: number;
}

/**
 * An arriving appointment joining a queue. The appointment must be booked (it becomes arrived
 * in the same transaction) or already arrived.
 *
 * @example
 * ```ts
 * const arrival: AppointmentCheckIn = { queueId, appointmentId };
 * ```
 */
export interface AppointmentCheckIn {
  readonly queueId: QueueId;
  readonly appointmentId: AppointmentId;
  /** @default 0 */
  readonly priority?: number;
}

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

/**
 * A patient's expected wait until called: position and the P50/P90 of the estimator.
 *
 * @example
 * ```ts
 * const { position, p50Ms, p90Ms } = await queue.estimateWait(actor, entryId);
 * ```
 */
export interface EntryWaitEstimate extends WaitEstimate {
  readonly entryId: QueueEntryId;
  readonly position: number;
}

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

interface Step {
  readonly before: StoredQueueEntry | null;
  readonly after: StoredQueueEntry;
  readonly type: QueueEventType;
}

const FINAL_STATUSES: readonly QueueEntryStatus[] = [
  'completed',
  'no_show',
  'left',
  'cancelled',
  'transferred',
];

function withoutCall(entry: StoredQueueEntry): StoredQueueEntry {
  const { counter: _counter, calledBy: _calledBy, ...rest } = entry;
  return rest;
}

function checkedPriority(priority: number | undefined): number {
  const value = priority ?? 0;
  if (!Number.isInteger(value) || value < PRIORITY_RANGE.min || value > PRIORITY_RANGE.max) {
    throw new ValidationError('The priority is invalid. Send an integer from -100 to 100.', [
      { path: 'priority', message: 'must be an integer from -100 to 100' },
    ]);
  }
  return value;
}

function checkedEntry(entry: StoredQueueEntry): StoredQueueEntry {
  const {
    orderingKey: _key,
    serviceTypeId: _type,
    firstCalledAt: _firstCalled,
    serviceStartedAt: _started,
    endedAt: _ended,
    transferredFromEntryId: _from,
    ...model
  } = entry;
  parseOrThrow(QueueEntry, model, 'queue entry');
  return entry;
}

function ticketOf(source: StoredQueueEntry['source'], number: number): string {
  const letter = source === 'walk-in' ? 'W' : source === 'appointment' ? 'A' : 'T';
  return `${letter}${String(number % 1000).padStart(3, '0')}`;
}

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
  checkFactoryOptions('createQueueService', QueueServiceOptionsSchema, options);
  const { unitOfWork, audit, cache, clock } = options;
  const aging = options.aging ?? DEFAULT_QUEUE_AGING;
  const maxRecalls = options.maxRecalls ?? 2;
  const noShowTimeoutMs = options.noShowTimeoutMs ?? 600_000;
  const graceMs = options.appointmentGraceMs ?? 600_000;
  const serviceTimes =
    options.serviceTimes ??
    createServiceTimeTracker({ defaultPrior: { meanMs: 600_000, sdMs: 300_000 } });
  const ruleEstimator = createWaitTimeEstimator({ tracker: serviceTimes });
  const estimator: EntryWaitEstimator = options.estimator ?? {
    estimate: (request) => ruleEstimator.estimate(request.snapshot),
  };
  const isoNow = (): string => new Date(clock.now()).toISOString();
  const summaryKey = (clinicId: ClinicId, queueId: QueueId): string =>
    `queue-summaries:${clinicId}:${queueId}`;
  const serviceTypeOf = (entry: StoredQueueEntry): string => entry.serviceTypeId ?? 'default';

  function scopeOf(entry: StoredQueueEntry) {
    return {
      tenantId: entry.tenantId,
      clinicId: entry.clinicId,
      ...(entry.patientId === undefined ? {} : { patientId: entry.patientId }),
    };
  }

  async function load(
    actor: Actor,
    scope: WalkInWorkScope,
    entryId: QueueEntryId,
    permission: 'queue:read' | 'queue:operate',
  ): Promise<StoredQueueEntry> {
    const entry = await scope.entries.get(actor.tenantId, entryId);
    if (entry === undefined) throw new NotFoundError('queue entry');
    authorize(actor, permission, scopeOf(entry));
    return entry;
  }

  function eventOf(step: Step): PendingQueueEvent {
    return {
      tenantId: step.after.tenantId,
      clinicId: step.after.clinicId,
      queueId: step.after.queueId,
      entryId: step.after.id,
      type: step.type,
      ...(step.before === null ? {} : { fromStatus: step.before.status }),
      toStatus: step.after.status,
      entryVersion: step.after.version,
      occurredAt: step.after.updatedAt,
    };
  }

  async function record(actor: Actor, scope: WalkInWorkScope, steps: readonly Step[]) {
    // Audit first: appending events locks the line row until commit, so keep that step last.
    for (const step of steps) {
      const { orderingKey: _beforeKey, ...before } = step.before ?? { orderingKey: 0 };
      const { orderingKey: _afterKey, ...after } = step.after;
      await scope.recordAudit(
        await audit.buildModificationEvent(
          actor.userId,
          `QueueEntry/${step.after.id}`,
          step.before === null ? null : before,
          after,
          {
            tenantId: actor.tenantId,
            patientId: step.after.patientId ?? null,
            action: `queue.${step.type}`,
          },
        ),
      );
    }
    const events = await scope.entries.appendEvents(steps.map(eventOf));
    await options.eventSink?.write(events, scope.transaction);
    return events;
  }

  async function afterCommit(actor: Actor, steps: readonly Step[], events: readonly QueueEvent[]) {
    const lines = new Map(
      steps.map((step) => [summaryKey(step.after.clinicId, step.after.queueId), step]),
    );
    for (const key of lines.keys()) await cache.delete(key, { tenant: actor.tenantId });
    for (const step of steps) {
      const { serviceStartedAt, endedAt } = step.after;
      if (step.type === 'completed' && serviceStartedAt !== undefined && endedAt !== undefined) {
        serviceTimes.observe(
          serviceTypeOf(step.after),
          Date.parse(endedAt) - Date.parse(serviceStartedAt),
        );
      }
    }
    if (options.afterCommit === undefined || events.length === 0) return;
    try {
      await options.afterCommit(events);
    } catch (error) {
      options.onHookError?.(error);
    }
  }

  async function save(scope: WalkInWorkScope, next: StoredQueueEntry): Promise<void> {
    if (!(await scope.entries.update(next))) throw new StaleVersionError('queue entry');
  }

  // The no-show of an entry that came from an appointment is the no-show of the appointment
  // too, in the same unit. An appointment the table does not let become a no-show (fulfilled,
  // checked in or cancelled meanwhile) is left as it is: the entry records what happened.
  async function appointmentNoShow(
    actor: Actor,
    scope: WalkInWorkScope,
    entry: StoredQueueEntry,
    now: string,
  ): Promise<void> {
    if (entry.appointmentId === undefined) return;
    const appointment = await scope.appointments.get(entry.tenantId, entry.appointmentId);
    if (
      appointment === undefined ||
      !canTransition(appointmentTransitions, appointment.status, 'noshow')
    ) {
      return;
    }
    if (!(await scope.appointments.markNoShow(appointment, now))) {
      throw new StaleVersionError('appointment');
    }
    await scope.recordAudit(
      await audit.buildModificationEvent(
        actor.userId,
        `Appointment/${appointment.id}`,
        { status: appointment.status, version: appointment.version },
        { status: 'noshow', version: appointment.version + 1 },
        {
          tenantId: actor.tenantId,
          patientId: appointment.patientId,
          action: 'queue.appointment_no_show',
        },
      ),
    );
  }

  async function run(
    actor: Actor,
    work: (scope: WalkInWorkScope, now: string) => Promise<Step[]>,
  ): Promise<Step[]> {
    const now = isoNow();
    const { steps, events } = await unitOfWork.run(actor, async (scope) => {
      const made = await work(scope, now);
      return { steps: made, events: made.length === 0 ? [] : await record(actor, scope, made) };
    });
    await afterCommit(actor, steps, events);
    return steps;
  }

  async function moved(
    operation: string,
    actor: Actor,
    entryId: QueueEntryId,
    to: QueueEntryStatus,
    type: QueueEventType,
    shape: (current: StoredQueueEntry, now: string) => StoredQueueEntry = (current) => current,
  ): Promise<QueueEntryView> {
    ({ actor, entryId } = parseArguments(
      queueArguments.byEntry,
      { actor, entryId },
      `queue.${operation}`,
    ));
    authorize(actor, 'queue:operate');
    const [step] = await run(actor, async (scope, now) => {
      const current = await load(actor, scope, entryId, 'queue:operate');
      // Triage changes the priority of a waiting entry without changing its status.
      if (type === 'triaged') {
        if (current.status !== 'waiting') throw new NotWaitingError();
      } else {
        assertTransition(queueEntryTransitions, current.status, to);
      }
      const next = checkedEntry({
        ...shape(current, now),
        status: to,
        ...(FINAL_STATUSES.includes(to) ? { endedAt: now } : {}),
        updatedAt: now,
        version: current.version + 1,
      });
      await save(scope, next);
      if (to === 'no_show') await appointmentNoShow(actor, scope, next, now);
      return [{ before: current, after: next, type }];
    });
    return (step as Step).after;
  }

  async function newEntry(
    scope: WalkInWorkScope,
    fields: Omit<
      StoredQueueEntry,
      'id' | 'ticket' | 'orderingKey' | 'status' | 'recallCount' | 'updatedAt' | 'version'
    >,
  ): Promise<StoredQueueEntry> {
    const number = await scope.entries.nextTicket(
      fields.tenantId,
      fields.clinicId,
      fields.queueId,
      fields.checkedInAt,
    );
    const entry = checkedEntry({
      ...fields,
      id: QueueEntryId.parse(uuidv7()),
      ticket: ticketOf(fields.source, number),
      orderingKey: orderingKey(Date.parse(fields.effectiveAt), fields.priority, aging),
      status: 'waiting',
      recallCount: 0,
      updatedAt: fields.checkedInAt,
      version: 0,
    });
    await scope.entries.insert(entry);
    return entry;
  }

  // A patient may see only their own rows, yet their position counts everyone ahead: the
  // count runs over the whole line once the actor has been authorized for the entry.
  async function withPosition(entry: StoredQueueEntry): Promise<QueueEntryView> {
    if (entry.status !== 'waiting') return entry;
    return {
      ...entry,
      position: (await unitOfWork.readLine((entries) => entries.countAhead(entry))) + 1,
    };
  }

  function checkedIn(steps: Step[]): Promise<QueueEntryView> {
    return withPosition((steps[0] as Step).after);
  }

  async function logRead(actor: Actor, entry: StoredQueueEntry): Promise<void> {
    await audit.logDataAccess(
      actor.userId,
      `QueueEntry/${entry.id}`,
      'read',
      {},
      {
        tenantId: actor.tenantId,
        patientId: entry.patientId ?? null,
      },
    );
  }

  return {
    async checkInWalkIn(actor, input) {
      ({ actor, input } = parseArguments(
        queueArguments.checkInWalkIn,
        { actor, input },
        'queue.checkInWalkIn',
      ));
      const scope = {
        tenantId: actor.tenantId,
        clinicId: input.clinicId,
        ...(input.patientId === undefined ? {} : { patientId: input.patientId }),
      };
      authorize(actor, 'queue:operate', scope);
      const priority = checkedPriority(input.priority);
      const steps = await run(actor, async (work, now) => {
        const entry = await newEntry(work, {
          tenantId: actor.tenantId,
          clinicId: input.clinicId,
          queueId: input.queueId,
          ...(input.patientId === undefined ? {} : { patientId: input.patientId }),
          ...(input.guestName === undefined ? {} : { guestName: input.guestName }),
          ...(input.serviceTypeId === undefined ? {} : { serviceTypeId: input.serviceTypeId }),
          source: 'walk-in',
          priority,
          checkedInAt: now,
          effectiveAt: now,
        });
        return [{ before: null, after: entry, type: 'checked_in' }];
      });
      return checkedIn(steps);
    },

    async checkInAppointment(actor, input) {
      ({ actor, input } = parseArguments(
        queueArguments.checkInAppointment,
        { actor, input },
        'queue.checkInAppointment',
      ));
      authorize(actor, 'queue:operate');
      const priority = checkedPriority(input.priority);
      const steps = await run(actor, async (work, now) => {
        const appointment = await work.appointments.get(actor.tenantId, input.appointmentId);
        if (appointment === undefined) throw new NotFoundError('appointment');
        authorize(actor, 'queue:operate', {
          tenantId: appointment.tenantId,
          clinicId: appointment.clinicId,
          patientId: appointment.patientId,
        });
        if (appointment.status !== 'booked' && appointment.status !== 'arrived') {
          throw new AppointmentNotCheckableError();
        }
        if (
          appointment.status === 'booked' &&
          !(await work.appointments.markArrived(appointment, now))
        ) {
          throw new StaleVersionError('appointment');
        }
        const entry = await newEntry(work, {
          tenantId: actor.tenantId,
          clinicId: appointment.clinicId,
          queueId: input.queueId,
          patientId: appointment.patientId,
          appointmentId: appointment.id,
          serviceTypeId: appointment.serviceTypeId,
          source: 'appointment',
          priority,
          checkedInAt: now,
          effectiveAt: new Date(Date.parse(appointment.startsAt) - graceMs).toISOString(),
        });
        return [{ before: null, after: entry, type: 'checked_in' }];
      });
      return checkedIn(steps);
    },

    async get(actor, entryId) {
      ({ actor, entryId } = parseArguments(
        queueArguments.byEntry,
        { actor, entryId },
        'queue.get',
      ));
      authorize(actor, 'queue:read');
      const entry = await withPosition(
        await unitOfWork.run(actor, (scope) => load(actor, scope, entryId, 'queue:read')),
      );
      await logRead(actor, entry);
      return entry;
    },

    async listLine(actor, clinicId, queueId) {
      ({ actor, clinicId, queueId } = parseArguments(
        queueArguments.line,
        { actor, clinicId, queueId },
        'queue.listLine',
      ));
      authorize(actor, 'queue:read', { tenantId: actor.tenantId, clinicId });
      const live = await unitOfWork.run(actor, (scope) =>
        scope.entries.listLive(actor.tenantId, queueId),
      );
      let position = 0;
      const views = live
        .filter((entry) => entry.clinicId === clinicId)
        .map((entry): QueueEntryView => {
          if (entry.status !== 'waiting') return entry;
          position += 1;
          return { ...entry, position };
        });
      await audit.logDataAccess(
        actor.userId,
        { type: 'QueueEntry' },
        'search',
        { queueId, entryIds: views.map((entry) => entry.id) },
        { tenantId: actor.tenantId, patientId: null },
      );
      return views;
    },

    async triage(actor, entryId, priority) {
      ({ priority } = parseArguments(
        queueArguments.triage,
        { actor, entryId, priority },
        'queue.triage',
      ));
      const checked = checkedPriority(priority);
      return moved('triage', actor, entryId, 'waiting', 'triaged', (current) => ({
        ...current,
        priority: checked,
        orderingKey: orderingKey(Date.parse(current.effectiveAt), checked, aging),
      }));
    },

    async callNext(actor, request) {
      ({ actor, request } = parseArguments(
        queueArguments.callNext,
        { actor, request },
        'queue.callNext',
      ));
      authorize(actor, 'queue:operate', { tenantId: actor.tenantId, clinicId: request.clinicId });
      const steps = await run(actor, async (scope, now) => {
        const claimed = await scope.entries.claimNext({
          tenantId: actor.tenantId,
          clinicId: request.clinicId,
          queueId: request.queueId,
          at: now,
          ...(request.counter === undefined ? {} : { counter: request.counter }),
          ...(actor.staffId === undefined ? {} : { calledBy: actor.staffId }),
        });
        if (claimed === undefined) return [];
        assertTransition(queueEntryTransitions, 'waiting', 'called');
        const before: StoredQueueEntry = {
          ...withoutCall(claimed),
          status: 'waiting',
          version: claimed.version - 1,
        };
        return [{ before, after: claimed, type: 'called' }];
      });
      return steps[0]?.after;
    },

    async recall(actor, entryId) {
      ({ actor, entryId } = parseArguments(
        queueArguments.byEntry,
        { actor, entryId },
        'queue.recall',
      ));
      authorize(actor, 'queue:operate');
      const [step] = await run(actor, async (scope, now) => {
        const current = await load(actor, scope, entryId, 'queue:operate');
        const exhausted = current.recallCount >= maxRecalls;
        const to: QueueEntryStatus = exhausted ? 'no_show' : 'waiting';
        assertTransition(queueEntryTransitions, current.status, to);
        const next = checkedEntry({
          ...(exhausted ? current : withoutCall(current)),
          status: to,
          recallCount: exhausted ? current.recallCount : current.recallCount + 1,
          ...(exhausted ? { endedAt: now } : {}),
          updatedAt: now,
          version: current.version + 1,
        });
        await save(scope, next);
        if (exhausted) await appointmentNoShow(actor, scope, next, now);
        return [{ before: current, after: next, type: exhausted ? 'no_show' : 'recalled' }];
      });
      return (step as Step).after;
    },

    async markNoShow(actor, entryId) {
      return moved('markNoShow', actor, entryId, 'no_show', 'no_show');
    },

    async sweepNoShows(actor, line) {
      ({ actor, line } = parseArguments(
        queueArguments.sweepNoShows,
        { actor, line },
        'queue.sweepNoShows',
      ));
      authorize(actor, 'queue:operate', { tenantId: actor.tenantId, clinicId: line.clinicId });
      const steps = await run(actor, async (scope, now) => {
        const cutoff = new Date(Date.parse(now) - noShowTimeoutMs).toISOString();
        const overdue = await scope.entries.listCalledBefore(actor.tenantId, line.queueId, cutoff);
        const made: Step[] = [];
        for (const current of overdue.filter((entry) => entry.clinicId === line.clinicId)) {
          const next: StoredQueueEntry = {
            ...current,
            status: 'no_show',
            endedAt: now,
            updatedAt: now,
            version: current.version + 1,
          };
          // An entry changed since it was listed (served meanwhile) is left alone.
          if (await scope.entries.update(next)) {
            await appointmentNoShow(actor, scope, next, now);
            made.push({ before: current, after: next, type: 'no_show' });
          }
        }
        return made;
      });
      return steps.length;
    },

    async stepAway(actor, entryId) {
      return moved('stepAway', actor, entryId, 'away', 'away');
    },

    async returnToLine(actor, entryId) {
      return moved('returnToLine', actor, entryId, 'waiting', 'returned');
    },

    async leave(actor, entryId) {
      return moved('leave', actor, entryId, 'left', 'left');
    },

    async cancel(actor, entryId) {
      return moved('cancel', actor, entryId, 'cancelled', 'cancelled');
    },

    async startService(actor, entryId) {
      return moved(
        'startService',
        actor,
        entryId,
        'in_service',
        'service_started',
        (current, now) => ({
          ...current,
          serviceStartedAt: now,
        }),
      );
    },

    async complete(actor, entryId) {
      return moved('complete', actor, entryId, 'completed', 'completed');
    },

    async transfer(actor, entryId, request) {
      ({ actor, entryId, request } = parseArguments(
        queueArguments.transfer,
        { actor, entryId, request },
        'queue.transfer',
      ));
      authorize(actor, 'queue:operate');
      const steps = await run(actor, async (scope, now) => {
        const current = await load(actor, scope, entryId, 'queue:operate');
        assertTransition(queueEntryTransitions, current.status, 'transferred');
        const clinicId = request.clinicId ?? current.clinicId;
        authorize(actor, 'queue:operate', { ...scopeOf(current), clinicId });
        // Both lines up front, in a fixed order: a transfer the other way waits instead of
        // holding the target line while this one holds the source (a deadlock).
        await scope.entries.lockLines(current.tenantId, [current.queueId, request.queueId]);
        const serviceTypeId = request.serviceTypeId ?? current.serviceTypeId;
        const target = await newEntry(scope, {
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
        const next = checkedEntry({
          ...current,
          status: 'transferred',
          transferredToEntryId: target.id,
          endedAt: now,
          updatedAt: now,
          version: current.version + 1,
        });
        await save(scope, next);
        return [
          { before: current, after: next, type: 'transferred' },
          { before: null, after: target, type: 'checked_in' },
        ];
      });
      const [from, to] = steps as [Step, Step];
      return { from: from.after, to: await checkedIn([to]) };
    },

    async summary(actor, clinicId, queueId) {
      ({ actor, clinicId, queueId } = parseArguments(
        queueArguments.line,
        { actor, clinicId, queueId },
        'queue.summary',
      ));
      authorize(actor, 'queue:read', { tenantId: actor.tenantId, clinicId });
      return cache.getOrSet(
        summaryKey(clinicId, queueId),
        async () => {
          const live = await unitOfWork.run(actor, (scope) =>
            scope.entries.listLive(actor.tenantId, queueId),
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
      ({ actor, entryId } = parseArguments(
        queueArguments.byEntry,
        { actor, entryId },
        'queue.estimateWait',
      ));
      authorize(actor, 'queue:read');
      const entry = await unitOfWork.run(actor, (scope) =>
        load(actor, scope, entryId, 'queue:read'),
      );
      if (entry.status !== 'waiting') throw new NotWaitingError();
      // Only service types and elapsed times of the others leave this function.
      const live = await unitOfWork.readLine((entries) =>
        entries.listLive(entry.tenantId, entry.queueId),
      );
      const ahead = live.filter(
        (other) =>
          other.status === 'waiting' &&
          (other.orderingKey < entry.orderingKey ||
            (other.orderingKey === entry.orderingKey && other.id < entry.id)),
      );
      const serving = live.filter(
        (other) => other.status === 'called' || other.status === 'in_service',
      );
      const now = clock.now();
      const line = { tenantId: entry.tenantId, clinicId: entry.clinicId, queueId: entry.queueId };
      const servers = options.activeServers
        ? await options.activeServers(line)
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
      await logRead(actor, entry);
      return {
        entryId: entry.id,
        position: ahead.length + 1,
        p50Ms: estimate.p50Ms,
        p90Ms: estimate.p90Ms,
      };
    },

    async analytics(actor, request) {
      ({ actor, request } = parseArguments(
        queueArguments.analytics,
        { actor, request },
        'queue.analytics',
      ));
      authorize(actor, 'queue:read', { tenantId: actor.tenantId, clinicId: request.clinicId });
      const from = Date.parse(request.from);
      const to = Date.parse(request.to);
      const entries = await unitOfWork.run(actor, (scope) =>
        scope.entries.listCheckedInBetween(
          actor.tenantId,
          request.clinicId,
          new Date(from).toISOString(),
          new Date(to).toISOString(),
        ),
      );
      return computeQueueAnalytics(entries, request.timeZone ?? 'UTC');
    },

    async events(actor, line, afterVersion, limit) {
      ({ actor, line, afterVersion, limit } = parseArguments(
        queueArguments.events,
        { actor, line, afterVersion, limit },
        'queue.events',
      ));
      authorize(actor, 'queue:read', { tenantId: actor.tenantId, clinicId: line.clinicId });
      const found = await unitOfWork.run(actor, (scope) =>
        scope.entries.listEvents(
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
