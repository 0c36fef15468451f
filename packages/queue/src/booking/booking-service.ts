import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  AppointmentId,
  appointmentTransitions,
  assertTransition,
  authorize,
  ForbiddenError,
  NotFoundError,
  parseArguments,
  STAFF_ROLES,
  Timestamp,
  uuidv7,
  ValidationError,
  type Actor,
  type Appointment,
  type CancellationReason,
  type ClinicId,
  type Clock,
  type PatientId,
  type ServiceType,
  type ServiceTypeId,
  type StaffId,
} from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import {
  IdempotencyKeyReusedError,
  payloadFingerprint,
  type Idempotency,
} from '@carequeue/resilience';
import {
  assertSlotRange,
  assertSupportedInstant,
  checkSlot,
  listAvailableSlots,
  type AvailabilityRules,
  type BusyInterval,
} from '../availability/index.js';
import { SlotUnavailableError } from '../errors.js';
import {
  checkFactoryOptions,
  clockOption,
  functionOption,
  portOption,
} from '../config/factory-options.js';
import { appointmentBusyRange } from './appointment-busy-range.js';
import { bookingArguments } from './booking-arguments.js';
import type {
  BusyAppointment,
  ExpiredHold,
  StoredAppointment,
  TimeSpan,
} from './ports/appointment-repository.js';
import { HoldExpiredError, SlotOutsideAvailabilityError } from './booking-errors.js';
import type { BookingUnitOfWork, BookingWorkScope } from './ports/booking-unit-of-work.js';
import type { WaitlistEntry } from './ports/waitlist-repository.js';

const MINUTE_MS = 60_000;

/**
 * Which slots to list: one staff member and service type at a clinic, starts in `[from, to)`.
 *
 * @example
 * ```ts
 * const query: SlotQuery = { clinicId, staffId, serviceTypeId, from: '2026-03-02T00:00:00Z', to: '2026-03-09T00:00:00Z' };
 * ```
 */
export interface SlotQuery {
  readonly clinicId: ClinicId;
  readonly staffId: StaffId;
  readonly serviceTypeId: ServiceTypeId;
  readonly from: string;
  readonly to: string;
}

/**
 * A bookable slot as ISO 8601 timestamps (the visit, without buffers).
 *
 * @example
 * ```ts
 * const slot: AvailableSlot = { start: '2026-03-02T08:00:00.000Z', end: '2026-03-02T08:30:00.000Z' };
 * ```
 */
export interface AvailableSlot {
  readonly start: string;
  readonly end: string;
}

/**
 * A booking request. `idempotencyKey` is chosen by the client (8-200 characters of letters,
 * digits, `_ . : -`, never anything about the patient) and sent again on a retry.
 *
 * @example
 * ```ts
 * const request: BookingRequest = { clinicId, staffId, serviceTypeId, patientId, start: '2026-03-02T08:00:00.000Z', idempotencyKey: crypto.randomUUID() };
 * ```
 */
export interface BookingRequest {
  readonly clinicId: ClinicId;
  readonly staffId: StaffId;
  readonly serviceTypeId: ServiceTypeId;
  readonly patientId: PatientId;
  readonly start: string;
  readonly idempotencyKey: string;
  /** Take a pending hold that lapses unless confirmed, instead of booking outright. @default false */
  readonly hold?: boolean;
}

/**
 * Why staff book outside the availability rules; recorded in the audit trail.
 *
 * @example
 * ```ts
 * const reason: OverrideReason = 'urgent-care';
 * ```
 */
export type OverrideReason = 'urgent-care' | 'clinician-request' | 'schedule-exception' | 'other';

/**
 * A staff booking that skips the availability rules (hours, notice, horizon). Overlaps are still
 * refused: no one can double-book. The start must still lie in the supported dates
 * (`EARLIEST_SUPPORTED_INSTANT` to `END_OF_SUPPORTED_INSTANTS`).
 *
 * @example
 * ```ts
 * const request: OverrideRequest = { ...bookingRequest, reason: 'urgent-care' };
 * ```
 */
export interface OverrideRequest extends Omit<BookingRequest, 'hold'> {
  readonly reason: OverrideReason;
}

/**
 * Moves an appointment to a new start, and optionally to another staff member.
 *
 * @example
 * ```ts
 * const request: RescheduleRequest = { start: '2026-03-03T09:00:00.000Z', idempotencyKey };
 * ```
 */
export interface RescheduleRequest {
  readonly start: string;
  readonly staffId?: StaffId;
  readonly idempotencyKey: string;
}

/**
 * A patient asking to be offered a freed slot.
 *
 * @example
 * ```ts
 * const request: WaitlistRequest = { clinicId, patientId, serviceTypeId, earliestAt: '2026-03-02T00:00:00Z' };
 * ```
 */
export interface WaitlistRequest {
  readonly clinicId: ClinicId;
  readonly patientId: PatientId;
  readonly serviceTypeId: ServiceTypeId;
  readonly staffId?: StaffId;
  readonly earliestAt?: string;
  readonly latestAt?: string;
}

/**
 * Dependencies and settings of {@link createBookingService}.
 *
 * @example
 * ```ts
 * const options: BookingServiceOptions = { unitOfWork, audit, clock: systemClock, idempotency };
 * ```
 */
export interface BookingServiceOptions {
  readonly unitOfWork: BookingUnitOfWork;
  readonly audit: AuditLogService;
  readonly clock: Clock;
  /** Replays the answer of a booking retried with the same idempotency key. */
  readonly idempotency: Idempotency;
  /**
   * How long a pending hold occupies its slot unless confirmed: an integer from 1 to
   * {@link MAX_HOLD_MINUTES}. @default 10
   */
  readonly holdMinutes?: number;
  /**
   * Seats per session of a service type; above 1 the service is booked as a group session with
   * numbered seats. @default every service type has 1 seat
   */
  readonly seatCapacity?: (serviceType: ServiceType) => number;
  /** Receives failures of work done after a change committed (offering a freed slot). */
  readonly onBackgroundError?: (error: unknown) => void;
}

/**
 * Availability and booking with no double booking: one availability function lists slots and
 * validates bookings; the store refuses overlaps (an exclusion constraint on SQL). Every method
 * checks `authorize()`, and every write is audited in its own transaction.
 *
 * Every method first checks its arguments (ids, shapes, string lengths and characters) and
 * throws a `ValidationError` naming the argument path, never its value, before any port is
 * called.
 *
 * @example
 * ```ts
 * const [slot] = await booking.listSlots(patient, { clinicId, staffId, serviceTypeId, from, to });
 * const appointment = await booking.book(patient, { clinicId, staffId, serviceTypeId, patientId, start: slot.start, idempotencyKey });
 * ```
 */
export interface BookingService {
  /**
   * The bookable slots of the staff member for the service type; lapsed holds do not block.
   *
   * @throws `ForbiddenError`; `NotFoundError` for an unknown clinic, service type or schedule;
   * `ValidationError` when the range is reversed, spans more than `MAX_AVAILABILITY_SPAN_DAYS`
   * or lies outside the supported dates, or the stored rules are out of bounds.
   */
  listSlots(actor: Actor, query: SlotQuery): Promise<AvailableSlot[]>;
  /**
   * Books (or holds, with `hold: true`) a listed slot. A retry with the same idempotency key and
   * request returns the first answer, even when the process stopped between committing the
   * booking and recording the answer: the key is stored (as an opaque digest) on the appointment
   * in the booking's transaction. Lapsed holds in the way are cancelled in the same transaction,
   * and waitlist entries they were offered to wait again.
   *
   * @throws {@link SlotUnavailableError} when taken; {@link SlotOutsideAvailabilityError} when
   * not offered; `IdempotencyKeyReusedError` when the key booked a different request;
   * `ValidationError`; `ForbiddenError`; `NotFoundError`.
   */
  book(actor: Actor, request: BookingRequest): Promise<Appointment>;
  /**
   * Staff book a time the availability rules do not offer, audited with the reason.
   *
   * @throws `ForbiddenError` for non-staff; {@link SlotUnavailableError} when it overlaps;
   * `ValidationError` for invalid arguments or a start outside the supported dates.
   */
  overrideBook(actor: Actor, request: OverrideRequest): Promise<Appointment>;
  /**
   * Turns a live pending hold into a booking.
   *
   * @throws {@link HoldExpiredError} when it lapsed; `InvalidTransitionError` unless pending.
   */
  confirm(actor: Actor, id: AppointmentId): Promise<Appointment>;
  /**
   * Cancels; a patient's cancellation inside the clinic's late-cancel window is flagged
   * `lateCancel`. The freed slot is then offered to the waitlist.
   *
   * @throws `InvalidTransitionError` when it cannot be cancelled.
   */
  cancel(actor: Actor, id: AppointmentId, reason: CancellationReason): Promise<Appointment>;
  /**
   * Cancels the appointment and books the new start in one transaction: either both happen or
   * neither. The new appointment links the old one as `previousAppointmentId`.
   *
   * @throws as {@link BookingService.book}, and `InvalidTransitionError`.
   */
  reschedule(actor: Actor, id: AppointmentId, request: RescheduleRequest): Promise<Appointment>;
  /**
   * Puts a patient on the waitlist; freed slots are offered as pending holds, oldest entry first.
   *
   * @throws `ForbiddenError`; `NotFoundError`; `ValidationError`.
   */
  joinWaitlist(actor: Actor, request: WaitlistRequest): Promise<WaitlistEntry>;
  /** The waitlist entry. @throws `ForbiddenError`; `NotFoundError`. */
  getWaitlistEntry(actor: Actor, id: string): Promise<WaitlistEntry>;
  /**
   * Marks as `noshow` the booked appointments of the clinic whose start is more than the
   * clinic's no-show grace period ago, and returns their ids.
   *
   * @throws `ForbiddenError` without `queue:operate` at the clinic.
   */
  markNoShows(actor: Actor, clinicId: ClinicId): Promise<AppointmentId[]>;
  /**
   * Cancels the clinic's pending holds that lapsed, returns the waitlist entries they were
   * offered to `waiting`, and offers each freed slot to the next waiting entry (not the one whose
   * offer lapsed). A job scheduler calls it periodically; bookings over a lapsed hold do the same
   * for the holds in their way. Returns the ids of the entries that wait again.
   *
   * @throws `ForbiddenError` without `queue:operate` at the clinic; `NotFoundError`.
   */
  expireLapsedOffers(actor: Actor, clinicId: ClinicId): Promise<string[]>;
  /** The appointment. @throws `ForbiddenError`; `NotFoundError`. */
  get(actor: Actor, id: AppointmentId): Promise<Appointment>;
}

interface BookingPlan {
  readonly clinicId: ClinicId;
  readonly staffId: StaffId;
  readonly serviceTypeId: ServiceTypeId;
  readonly patientId: PatientId;
  readonly start: string;
  readonly hold: boolean;
  readonly override?: OverrideReason;
  readonly previousAppointmentId?: AppointmentId;
  /** The idempotency key stored on the new appointment's row. */
  readonly keyed?: KeyedRequest;
}

/** The caller's key, scoped to tenant and user, as stored: a SHA-256 digest, never as sent. */
interface KeyedRequest {
  readonly scoped: string;
  readonly digest: string;
  readonly payload: unknown;
  readonly fingerprint: string;
}

/**
 * The longest pending hold, in minutes: a day. A longer hold keeps a slot from every other
 * patient without a booking behind it.
 *
 * @example
 * ```ts
 * createBookingService({ ...options, holdMinutes: MAX_HOLD_MINUTES });
 * ```
 */
export const MAX_HOLD_MINUTES = 1440;

function parseInstant(value: string, field: string): number {
  if (!Timestamp.safeParse(value).success) {
    throw new ValidationError(`The ${field} is not a valid timestamp.`, [
      {
        path: field,
        message: 'must be an ISO 8601 timestamp with an offset, such as 2026-03-02T08:00:00Z',
      },
    ]);
  }
  return Date.parse(value);
}

/** One id per (staff, service type, start), so concurrent first seats of a session share it. */
function groupSlotIdOf(
  plan: Pick<BookingPlan, 'staffId' | 'serviceTypeId'>,
  start: number,
  tenant: string,
): string {
  const hex = createHash('sha256')
    .update(`${tenant}:${plan.staffId}:${plan.serviceTypeId}:${start}`)
    .digest('hex');
  // Laid out as an RFC 9562 version 8 (custom) UUID.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

const iso = (ms: number): string => new Date(ms).toISOString();

const BookingServiceOptionsSchema = z.object({
  unitOfWork: portOption('a BookingUnitOfWork', ['run']),
  audit: portOption('an AuditLogService', ['buildModificationEvent', 'logDataAccess']),
  clock: clockOption,
  idempotency: portOption('an Idempotency', ['run']),
  // A zero or negative hold would be created already lapsed; a fractional one is a unit mix-up.
  holdMinutes: z.int().min(1).max(MAX_HOLD_MINUTES).optional(),
  seatCapacity: functionOption().optional(),
  onBackgroundError: functionOption().optional(),
});

/**
 * Creates the {@link BookingService}.
 *
 * @throws `QueueConfigError` when a port is missing or `holdMinutes` is not an integer
 * from 1 to {@link MAX_HOLD_MINUTES}.
 * @example
 * ```ts
 * import { createAuditLogService, memoryAuditStore } from '@carequeue/audit';
 * import { systemClock } from '@carequeue/core';
 * import { createBookingService, memoryBookingUnitOfWork } from '@carequeue/queue';
 * import { createIdempotency, memoryIdempotencyStore } from '@carequeue/resilience';
 *
 * const auditStore = memoryAuditStore();
 * const booking = createBookingService({
 *   unitOfWork: memoryBookingUnitOfWork({ auditStore, clinics, serviceTypes, schedules }),
 *   audit: createAuditLogService({ store: auditStore }),
 *   clock: systemClock,
 *   idempotency: createIdempotency({ store: memoryIdempotencyStore() }),
 * });
 * ```
 */
export function createBookingService(options: BookingServiceOptions): BookingService {
  checkFactoryOptions('createBookingService', BookingServiceOptionsSchema, options);
  const { unitOfWork, audit, clock, idempotency } = options;
  const holdMs = (options.holdMinutes ?? 10) * MINUTE_MS;
  const seatCapacity = options.seatCapacity ?? (() => 1);
  const reportBackground = options.onBackgroundError ?? (() => undefined);

  async function loadRules(
    scope: BookingWorkScope,
    actor: Actor,
    plan: Pick<BookingPlan, 'clinicId' | 'staffId' | 'serviceTypeId'>,
  ): Promise<{ rules: AvailabilityRules; serviceType: ServiceType }> {
    const clinic = await scope.clinics.get(actor.tenantId, plan.clinicId);
    if (clinic === undefined) throw new NotFoundError('clinic');
    const serviceType = await scope.serviceTypes.get(actor.tenantId, plan.serviceTypeId);
    if (serviceType?.clinicId !== plan.clinicId || !serviceType.active) {
      throw new NotFoundError('service type');
    }
    const schedule = await scope.schedules.get(actor.tenantId, plan.staffId, plan.clinicId);
    if (schedule === undefined) throw new NotFoundError('schedule');
    return {
      serviceType,
      rules: {
        timeZone: clinic.timeZone,
        weeklyHours: schedule.weeklyHours,
        dateOverrides: schedule.dateOverrides,
        durationMinutes: serviceType.durationMinutes,
        bufferBeforeMinutes: serviceType.bufferBeforeMinutes,
        bufferAfterMinutes: serviceType.bufferAfterMinutes,
        slotIntervalMinutes: clinic.settings.slotIntervalMinutes,
        minimumNoticeMinutes: clinic.settings.minimumNoticeMinutes,
        bookingHorizonDays: clinic.settings.bookingHorizonDays,
      },
    };
  }

  /** Taken ranges, leaving out lapsed holds and the seats of `ownGroup`. */
  function busyOf(
    rows: readonly BusyAppointment[],
    now: number,
    ownGroup?: string,
  ): BusyInterval[] {
    return rows
      .filter(
        (row) =>
          !(
            row.status === 'pending' &&
            row.holdExpiresAt !== undefined &&
            Date.parse(row.holdExpiresAt) <= now
          ),
      )
      .filter((row) => ownGroup === undefined || row.groupSlotId !== ownGroup)
      .map(appointmentBusyRange);
  }

  async function recordChange(
    scope: BookingWorkScope,
    actor: Actor,
    before: StoredAppointment | null,
    after: StoredAppointment,
    action?: string,
    metadata?: Record<string, unknown>,
  ): Promise<void> {
    await scope.recordAudit(
      await audit.buildModificationEvent(actor.userId, `Appointment/${after.id}`, before, after, {
        tenantId: after.tenantId,
        patientId: after.patientId,
        ...(action === undefined ? {} : { action }),
        ...(metadata === undefined ? {} : { metadata }),
      }),
    );
  }

  /** Cancels the lapsed holds of the staff member overlapping `span`, auditing each. */
  async function expireHoldsIn(
    scope: BookingWorkScope,
    actor: Actor,
    staffId: StaffId,
    span: TimeSpan,
    now: number,
  ): Promise<ExpiredHold[]> {
    const expired = await scope.appointments.expireHolds(actor.tenantId, staffId, span, iso(now));
    for (const hold of expired) {
      await scope.recordAudit(
        await audit.buildModificationEvent(
          actor.userId,
          `Appointment/${hold.id}`,
          { status: 'pending' },
          { status: 'cancelled', cancellationReason: 'hold-expired', version: hold.version },
          { tenantId: actor.tenantId, patientId: hold.patientId, action: 'expire-hold' },
        ),
      );
    }
    return expired;
  }

  /** Returns the waitlist entries offered the lapsed `holds` to waiting, auditing each. */
  async function reopenOffers(
    scope: BookingWorkScope,
    actor: Actor,
    holds: readonly ExpiredHold[],
    now: number,
  ): Promise<string[]> {
    if (holds.length === 0) return [];
    const reopened = await scope.waitlist.reopenLapsedOffers(
      actor.tenantId,
      holds.map((hold) => hold.id),
      iso(now),
    );
    for (const entry of reopened) {
      await scope.recordAudit(
        await audit.buildModificationEvent(
          actor.userId,
          `WaitlistEntry/${entry.id}`,
          { status: 'offered' },
          { status: 'waiting', version: entry.version },
          { tenantId: actor.tenantId, patientId: entry.patientId, action: 'offer-lapsed' },
        ),
      );
    }
    return reopened.map((entry) => entry.id);
  }

  /** Books inside a unit of work: the shared path of book, override, reschedule and offers. */
  async function bookIn(
    scope: BookingWorkScope,
    actor: Actor,
    plan: BookingPlan,
  ): Promise<StoredAppointment> {
    const startMs = parseInstant(plan.start, 'start');
    const now = clock.now();
    const { rules, serviceType } = await loadRules(scope, actor, plan);
    const capacity = seatCapacity(serviceType);
    const groupSlotId = capacity > 1 ? groupSlotIdOf(plan, startMs, actor.tenantId) : undefined;
    const endMs = startMs + serviceType.durationMinutes * MINUTE_MS;
    const busy = {
      start: iso(startMs - serviceType.bufferBeforeMinutes * MINUTE_MS),
      end: iso(endMs + serviceType.bufferAfterMinutes * MINUTE_MS),
    };
    const expired = await expireHoldsIn(scope, actor, plan.staffId, busy, now);
    await reopenOffers(scope, actor, expired, now);
    if (plan.override === undefined) {
      const taken = await scope.appointments.listBusy(actor.tenantId, plan.staffId, busy);
      const check = checkSlot(rules, { now, busy: busyOf(taken, now, groupSlotId) }, startMs);
      if (!check.available) {
        if (check.reason === 'busy') throw new SlotUnavailableError();
        throw new SlotOutsideAvailabilityError(check.reason);
      }
    }
    const stamp = iso(now);
    const appointment: StoredAppointment = {
      id: AppointmentId.parse(uuidv7()),
      tenantId: actor.tenantId,
      clinicId: plan.clinicId,
      patientId: plan.patientId,
      staffId: plan.staffId,
      serviceTypeId: plan.serviceTypeId,
      status: plan.hold ? 'pending' : 'booked',
      start: iso(startMs),
      end: iso(endMs),
      ...(plan.hold ? { holdExpiresAt: iso(now + holdMs) } : {}),
      lateCancel: false,
      ...(plan.previousAppointmentId === undefined
        ? {}
        : { previousAppointmentId: plan.previousAppointmentId }),
      createdAt: stamp,
      updatedAt: stamp,
      version: 0,
      bufferBeforeMinutes: serviceType.bufferBeforeMinutes,
      bufferAfterMinutes: serviceType.bufferAfterMinutes,
      ...(groupSlotId === undefined ? {} : { groupSlotId }),
    };
    await scope.appointments.insert(
      plan.keyed === undefined
        ? appointment
        : {
            ...appointment,
            idempotency: { key: plan.keyed.digest, fingerprint: plan.keyed.fingerprint },
          },
    );
    let seatNumber: number | undefined;
    if (groupSlotId !== undefined) {
      seatNumber = await scope.appointments.takeSeat(
        {
          tenantId: actor.tenantId,
          clinicId: plan.clinicId,
          groupSlotId,
          appointmentId: appointment.id,
          patientId: plan.patientId,
          createdAt: stamp,
        },
        capacity,
      );
      if (seatNumber === undefined) throw new SlotUnavailableError();
    }
    await recordChange(
      scope,
      actor,
      null,
      appointment,
      plan.override === undefined ? undefined : 'override-book',
      {
        ...(plan.override === undefined ? {} : { override: plan.override }),
        ...(seatNumber === undefined ? {} : { seatNumber }),
      },
    );
    return appointment;
  }

  async function loadAppointment(
    scope: BookingWorkScope,
    actor: Actor,
    id: AppointmentId,
    permission: 'appointment:read' | 'appointment:write',
  ): Promise<StoredAppointment> {
    const found = await scope.appointments.get(actor.tenantId, id);
    if (found === undefined) throw new NotFoundError('appointment');
    authorize(actor, permission, {
      tenantId: found.tenantId,
      clinicId: found.clinicId,
      patientId: found.patientId,
    });
    return found;
  }

  function authorizeBooking(
    actor: Actor,
    request: { clinicId: ClinicId; patientId: PatientId },
  ): void {
    authorize(actor, 'appointment:write', {
      tenantId: actor.tenantId,
      clinicId: request.clinicId,
      patientId: request.patientId,
    });
  }

  /** Waitlist entries of other patients are out of the caller's reach: a worker role offers. */
  function workerOf(actor: Actor): Actor {
    return { userId: actor.userId, tenantId: actor.tenantId, roles: ['service'], aal: 'aal2' };
  }

  /** Offers the freed slot as a hold to the oldest matching waiting entry, inside a unit. */
  async function offerIn(
    scope: BookingWorkScope,
    worker: Actor,
    freed: StoredAppointment,
  ): Promise<void> {
    const entry = await scope.waitlist.nextWaiting(
      freed.tenantId,
      freed.clinicId,
      freed.serviceTypeId,
      freed.staffId,
      freed.start,
    );
    if (entry === undefined) return;
    const hold = await bookIn(scope, worker, {
      clinicId: freed.clinicId,
      staffId: freed.staffId,
      serviceTypeId: freed.serviceTypeId,
      patientId: entry.patientId,
      start: freed.start,
      hold: true,
    });
    const offered: WaitlistEntry = {
      ...entry,
      status: 'offered',
      offeredAppointmentId: hold.id,
      updatedAt: iso(clock.now()),
      version: entry.version + 1,
    };
    await scope.waitlist.update(offered);
    await scope.recordAudit(
      await audit.buildModificationEvent(
        worker.userId,
        `WaitlistEntry/${entry.id}`,
        entry,
        offered,
        {
          tenantId: entry.tenantId,
          patientId: entry.patientId,
          action: 'offer',
        },
      ),
    );
  }

  /** The slot may be gone again or no longer offered: then nobody is offered it. */
  const isSlotGone = (error: unknown): boolean =>
    error instanceof SlotUnavailableError || error instanceof SlotOutsideAvailabilityError;

  /** After a change committed: offers the freed slot to the oldest matching waitlist entry. */
  async function offerFreedSlot(actor: Actor, freed: StoredAppointment): Promise<void> {
    if (Date.parse(freed.start) <= clock.now()) return;
    const worker = workerOf(actor);
    try {
      await unitOfWork.run(worker, (scope) => offerIn(scope, worker, freed));
    } catch (error: unknown) {
      // The cancellation itself stands.
      if (!isSlotGone(error)) reportBackground(error);
    }
  }

  /**
   * Cancels one lapsed hold (and any other lapsed hold in its range), offers its slot to the next
   * waiting entry when `offer` (while the lapsed entry is still `offered`, so it is not picked),
   * then returns the entries whose offers lapsed to waiting.
   */
  async function sweepHold(
    scope: BookingWorkScope,
    worker: Actor,
    hold: StoredAppointment,
    offer: boolean,
  ): Promise<string[]> {
    const now = clock.now();
    const expired = await expireHoldsIn(
      scope,
      worker,
      hold.staffId,
      { start: hold.start, end: hold.end },
      now,
    );
    if (offer && Date.parse(hold.start) > now && expired.some((one) => one.id === hold.id)) {
      await offerIn(scope, worker, hold);
    }
    return reopenOffers(scope, worker, expired, now);
  }

  function keyOf(actor: Actor, key: string, payload: unknown): KeyedRequest {
    const scoped = `booking:${actor.tenantId}:${actor.userId}:${key}`;
    return {
      scoped,
      digest: createHash('sha256').update(scoped).digest('hex'),
      payload,
      fingerprint: payloadFingerprint(payload),
    };
  }

  /** The appointment a previous run with this key committed, if any (same request, or throws). */
  async function priorAnswer(
    scope: BookingWorkScope,
    actor: Actor,
    keyed: KeyedRequest,
  ): Promise<StoredAppointment | undefined> {
    const found = await scope.appointments.findByIdempotencyKey(actor.tenantId, keyed.digest);
    if (found === undefined) return undefined;
    if (found.fingerprint !== keyed.fingerprint) throw new IdempotencyKeyReusedError();
    return found.appointment;
  }

  /** Books once per key: replays the stored answer, or the appointment bound to the key. */
  function keyedBooking(
    actor: Actor,
    keyed: KeyedRequest,
    book: (scope: BookingWorkScope) => Promise<StoredAppointment>,
  ): Promise<StoredAppointment> {
    return idempotency.run(keyed.scoped, keyed.payload, () =>
      unitOfWork.run(
        actor,
        async (scope) => (await priorAnswer(scope, actor, keyed)) ?? book(scope),
      ),
    );
  }

  return {
    async listSlots(actor, query) {
      ({ actor, query } = parseArguments(
        bookingArguments.listSlots,
        { actor, query },
        'booking.listSlots',
      ));
      authorize(actor, 'clinic:read', { tenantId: actor.tenantId, clinicId: query.clinicId });
      const from = parseInstant(query.from, 'from');
      const to = parseInstant(query.to, 'to');
      // Refused before any read, so a huge range costs neither a query nor a day loop.
      assertSlotRange(from, to);
      const now = clock.now();
      return unitOfWork.run(actor, async (scope) => {
        const { rules, serviceType } = await loadRules(scope, actor, query);
        const margin =
          (rules.bufferBeforeMinutes ?? 0) +
          (rules.bufferAfterMinutes ?? 0) +
          rules.durationMinutes;
        const taken = await scope.appointments.listBusy(actor.tenantId, query.staffId, {
          start: iso(from - margin * MINUTE_MS),
          end: iso(to + margin * MINUTE_MS),
        });
        const busy = busyOf(taken, now);
        const slots = listAvailableSlots(rules, { now, busy }, from, to);
        if (seatCapacity(serviceType) > 1) {
          // A group session with free seats is bookable at its own start despite its seats.
          const sessions = new Map<string, BusyAppointment[]>();
          for (const row of taken) {
            if (row.groupSlotId === undefined || row.serviceTypeId !== query.serviceTypeId)
              continue;
            sessions.set(row.groupSlotId, [...(sessions.get(row.groupSlotId) ?? []), row]);
          }
          for (const [groupSlotId, seats] of sessions) {
            const start = Date.parse(seats[0]!.start);
            if (seats.length >= seatCapacity(serviceType) || start < from || start >= to) continue;
            const check = checkSlot(rules, { now, busy: busyOf(taken, now, groupSlotId) }, start);
            if (check.available) slots.push(check.slot);
          }
          slots.sort((a, b) => a.start - b.start);
        }
        return slots.map((slot) => ({ start: iso(slot.start), end: iso(slot.end) }));
      });
    },

    async book(actor, request) {
      ({ actor, request } = parseArguments(
        bookingArguments.book,
        { actor, request },
        'booking.book',
      ));
      assertSupportedInstant(Date.parse(request.start), 'request.start');
      authorizeBooking(actor, request);
      const { idempotencyKey, ...payload } = request;
      const keyed = keyOf(actor, idempotencyKey, { op: 'book', ...payload });
      return keyedBooking(actor, keyed, (scope) =>
        bookIn(scope, actor, { ...payload, hold: request.hold ?? false, keyed }),
      );
    },

    async overrideBook(actor, request) {
      ({ actor, request } = parseArguments(
        bookingArguments.overrideBook,
        { actor, request },
        'booking.overrideBook',
      ));
      // Overrides skip the availability rules, never the supported dates (ADR 0013).
      assertSupportedInstant(Date.parse(request.start), 'request.start');
      authorizeBooking(actor, request);
      if (!actor.roles.some((role) => (STAFF_ROLES as readonly string[]).includes(role))) {
        throw new ForbiddenError(
          'appointment:write',
          'Only clinic staff can book outside the availability rules. Book a listed slot instead.',
        );
      }
      const { idempotencyKey, reason, ...payload } = request;
      const keyed = keyOf(actor, idempotencyKey, { op: 'override', reason, ...payload });
      return keyedBooking(actor, keyed, (scope) =>
        bookIn(scope, actor, { ...payload, hold: false, override: reason, keyed }),
      );
    },

    async confirm(actor, id) {
      ({ actor, id } = parseArguments(bookingArguments.byId, { actor, id }, 'booking.confirm'));
      authorize(actor, 'appointment:write');
      return unitOfWork.run(actor, async (scope) => {
        const current = await loadAppointment(scope, actor, id, 'appointment:write');
        assertTransition(appointmentTransitions, current.status, 'booked');
        if (
          current.holdExpiresAt !== undefined &&
          Date.parse(current.holdExpiresAt) <= clock.now()
        ) {
          throw new HoldExpiredError();
        }
        const { holdExpiresAt: _confirmed, ...rest } = current;
        const booked: StoredAppointment = {
          ...rest,
          status: 'booked',
          updatedAt: iso(clock.now()),
          version: current.version + 1,
        };
        await scope.appointments.update(booked);
        await recordChange(scope, actor, current, booked, 'confirm');
        const entry = await scope.waitlist.findByOffer(actor.tenantId, id);
        if (entry?.status === 'offered') {
          const closed: WaitlistEntry = {
            ...entry,
            status: 'booked',
            updatedAt: booked.updatedAt,
            version: entry.version + 1,
          };
          await scope.waitlist.update(closed);
          await scope.recordAudit(
            await audit.buildModificationEvent(
              actor.userId,
              `WaitlistEntry/${entry.id}`,
              entry,
              closed,
              {
                tenantId: entry.tenantId,
                patientId: entry.patientId,
              },
            ),
          );
        }
        return booked;
      });
    },

    async cancel(actor, id, reason) {
      ({ actor, id, reason } = parseArguments(
        bookingArguments.cancel,
        { actor, id, reason },
        'booking.cancel',
      ));
      authorize(actor, 'appointment:write');
      const cancelled = await unitOfWork.run(actor, async (scope) => {
        const current = await loadAppointment(scope, actor, id, 'appointment:write');
        assertTransition(appointmentTransitions, current.status, 'cancelled');
        const clinic = await scope.clinics.get(actor.tenantId, current.clinicId);
        const lateCancelMs = (clinic?.settings.lateCancelWindowMinutes ?? 0) * MINUTE_MS;
        const now = clock.now();
        const { holdExpiresAt: _released, ...rest } = current;
        const next: StoredAppointment = {
          ...rest,
          status: 'cancelled',
          cancellationReason: reason,
          cancellationDate: iso(now),
          lateCancel:
            current.status === 'booked' &&
            reason === 'patient-request' &&
            Date.parse(current.start) - now < lateCancelMs,
          updatedAt: iso(now),
          version: current.version + 1,
        };
        await scope.appointments.update(next);
        await scope.appointments.releaseSeat(actor.tenantId, id);
        await recordChange(scope, actor, current, next, 'cancel');
        return next;
      });
      await offerFreedSlot(actor, cancelled);
      return cancelled;
    },

    async reschedule(actor, id, request) {
      ({ actor, id, request } = parseArguments(
        bookingArguments.reschedule,
        { actor, id, request },
        'booking.reschedule',
      ));
      assertSupportedInstant(Date.parse(request.start), 'request.start');
      authorize(actor, 'appointment:write');
      const { idempotencyKey, ...payload } = request;
      const keyed = keyOf(actor, idempotencyKey, { op: 'reschedule', id, ...payload });
      return idempotency.run(keyed.scoped, keyed.payload, async () => {
        const [previous, moved] = await unitOfWork.run(actor, async (scope) => {
          const replayed = await priorAnswer(scope, actor, keyed);
          if (replayed !== undefined) return [undefined, replayed] as const;
          const current = await loadAppointment(scope, actor, id, 'appointment:write');
          assertTransition(appointmentTransitions, current.status, 'cancelled');
          const now = iso(clock.now());
          const { holdExpiresAt: _released, ...rest } = current;
          const old: StoredAppointment = {
            ...rest,
            status: 'cancelled',
            cancellationReason: 'rescheduled',
            cancellationDate: now,
            updatedAt: now,
            version: current.version + 1,
          };
          await scope.appointments.update(old);
          await scope.appointments.releaseSeat(actor.tenantId, id);
          await recordChange(scope, actor, current, old, 'reschedule');
          const next = await bookIn(scope, actor, {
            clinicId: current.clinicId,
            staffId: payload.staffId ?? current.staffId,
            serviceTypeId: current.serviceTypeId,
            patientId: current.patientId,
            start: payload.start,
            hold: false,
            previousAppointmentId: current.id,
            keyed,
          });
          return [old, next] as const;
        });
        if (previous !== undefined) await offerFreedSlot(actor, previous);
        return moved;
      });
    },

    async joinWaitlist(actor, request) {
      ({ actor, request } = parseArguments(
        bookingArguments.joinWaitlist,
        { actor, request },
        'booking.joinWaitlist',
      ));
      authorizeBooking(actor, request);
      return unitOfWork.run(actor, async (scope) => {
        const serviceType = await scope.serviceTypes.get(actor.tenantId, request.serviceTypeId);
        if (serviceType?.clinicId !== request.clinicId) throw new NotFoundError('service type');
        const now = iso(clock.now());
        const entry: WaitlistEntry = {
          id: uuidv7(),
          tenantId: actor.tenantId,
          clinicId: request.clinicId,
          patientId: request.patientId,
          serviceTypeId: request.serviceTypeId,
          ...(request.staffId === undefined ? {} : { staffId: request.staffId }),
          ...(request.earliestAt === undefined
            ? {}
            : { earliestAt: iso(Date.parse(request.earliestAt)) }),
          ...(request.latestAt === undefined
            ? {}
            : { latestAt: iso(Date.parse(request.latestAt)) }),
          status: 'waiting',
          createdAt: now,
          updatedAt: now,
          version: 0,
        };
        await scope.waitlist.insert(entry);
        await scope.recordAudit(
          await audit.buildModificationEvent(
            actor.userId,
            `WaitlistEntry/${entry.id}`,
            null,
            entry,
            {
              tenantId: entry.tenantId,
              patientId: entry.patientId,
            },
          ),
        );
        return entry;
      });
    },

    async getWaitlistEntry(actor, id) {
      ({ actor, id } = parseArguments(
        bookingArguments.getWaitlistEntry,
        { actor, id },
        'booking.getWaitlistEntry',
      ));
      authorize(actor, 'appointment:read');
      const entry = await unitOfWork.run(actor, (scope) => scope.waitlist.get(actor.tenantId, id));
      if (entry === undefined) throw new NotFoundError('waitlist entry');
      authorize(actor, 'appointment:read', {
        tenantId: entry.tenantId,
        clinicId: entry.clinicId,
        patientId: entry.patientId,
      });
      return entry;
    },

    async markNoShows(actor, clinicId) {
      ({ actor, clinicId } = parseArguments(
        bookingArguments.byClinic,
        { actor, clinicId },
        'booking.markNoShows',
      ));
      authorize(actor, 'queue:operate', { tenantId: actor.tenantId, clinicId });
      return unitOfWork.run(actor, async (scope) => {
        const clinic = await scope.clinics.get(actor.tenantId, clinicId);
        if (clinic === undefined) throw new NotFoundError('clinic');
        const now = clock.now();
        const due = await scope.appointments.listBookedStartedBy(
          actor.tenantId,
          clinicId,
          iso(now - clinic.settings.noShowGraceMinutes * MINUTE_MS),
          500,
        );
        const marked: AppointmentId[] = [];
        for (const current of due) {
          assertTransition(appointmentTransitions, current.status, 'noshow');
          const next: StoredAppointment = {
            ...current,
            status: 'noshow',
            updatedAt: iso(now),
            version: current.version + 1,
          };
          await scope.appointments.update(next);
          await recordChange(scope, actor, current, next, 'no-show');
          marked.push(current.id);
        }
        return marked;
      });
    },

    async expireLapsedOffers(actor, clinicId) {
      ({ actor, clinicId } = parseArguments(
        bookingArguments.byClinic,
        { actor, clinicId },
        'booking.expireLapsedOffers',
      ));
      authorize(actor, 'queue:operate', { tenantId: actor.tenantId, clinicId });
      const worker = workerOf(actor);
      const lapsed = await unitOfWork.run(worker, async (scope) => {
        if ((await scope.clinics.get(actor.tenantId, clinicId)) === undefined) {
          throw new NotFoundError('clinic');
        }
        return scope.appointments.listLapsedHolds(actor.tenantId, clinicId, iso(clock.now()), 500);
      });
      const reopened: string[] = [];
      for (const hold of lapsed) {
        try {
          reopened.push(
            ...(await unitOfWork.run(worker, (scope) => sweepHold(scope, worker, hold, true))),
          );
        } catch (error: unknown) {
          if (!isSlotGone(error)) throw error;
          // Nobody can be offered the slot (taken again, or too close to its start): the
          // offer that failed rolled back, so lapse the hold without offering.
          reopened.push(
            ...(await unitOfWork.run(worker, (scope) => sweepHold(scope, worker, hold, false))),
          );
        }
      }
      return reopened;
    },

    async get(actor, id) {
      ({ actor, id } = parseArguments(bookingArguments.byId, { actor, id }, 'booking.get'));
      authorize(actor, 'appointment:read');
      const found = await unitOfWork.run(actor, (scope) =>
        loadAppointment(scope, actor, id, 'appointment:read'),
      );
      await audit.logDataAccess(
        actor.userId,
        `Appointment/${id}`,
        'read',
        {},
        { tenantId: actor.tenantId, patientId: found.patientId },
      );
      return found;
    },
  };
}
