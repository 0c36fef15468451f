import { z } from 'zod';
import {
  MINUTE_MS,
  type Actor,
  type Appointment,
  type AppointmentId,
  type CancellationReason,
  type ClinicId,
  type Clock,
  type ServiceType,
} from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { Idempotency } from '@carequeue/resilience';
import {
  checkFactoryOptions,
  clockOption,
  functionOption,
  portOption,
} from '../config/factory-options.js';
import { getAppointment } from './appointment-access.js';
import { book, overrideBook } from './book.js';
import type { BookingDependencies } from './booking-dependencies.js';
import type {
  AvailableSlot,
  BookingRequest,
  OverrideRequest,
  RescheduleRequest,
  SlotQuery,
  WaitlistRequest,
} from './booking-requests.js';
import { cancelAppointment } from './cancel.js';
import { confirmHold } from './holds.js';
import { listSlots } from './list-slots.js';
import { markNoShows } from './no-shows.js';
import type { BookingUnitOfWork } from './ports/booking-unit-of-work.js';
import type { WaitlistEntry } from './ports/waitlist-repository.js';
import { rescheduleAppointment } from './reschedule.js';
import { expireLapsedOffers } from './waitlist-offers.js';
import { getWaitlistEntry, joinWaitlist } from './waitlist.js';

export type {
  AvailableSlot,
  BookingRequest,
  OverrideReason,
  OverrideRequest,
  RescheduleRequest,
  SlotQuery,
  WaitlistRequest,
} from './booking-requests.js';

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

const DEFAULT_HOLD_MINUTES = 10;

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
  const dependencies: BookingDependencies = {
    unitOfWork: options.unitOfWork,
    audit: options.audit,
    clock: options.clock,
    idempotency: options.idempotency,
    holdMs: (options.holdMinutes ?? DEFAULT_HOLD_MINUTES) * MINUTE_MS,
    seatCapacity: options.seatCapacity ?? (() => 1),
    reportBackgroundError: options.onBackgroundError ?? (() => undefined),
  };
  return {
    listSlots: (actor, query) => listSlots(dependencies, actor, query),
    book: (actor, request) => book(dependencies, actor, request),
    overrideBook: (actor, request) => overrideBook(dependencies, actor, request),
    confirm: (actor, id) => confirmHold(dependencies, actor, id),
    cancel: (actor, id, reason) => cancelAppointment(dependencies, actor, id, reason),
    reschedule: (actor, id, request) => rescheduleAppointment(dependencies, actor, id, request),
    joinWaitlist: (actor, request) => joinWaitlist(dependencies, actor, request),
    getWaitlistEntry: (actor, id) => getWaitlistEntry(dependencies, actor, id),
    markNoShows: (actor, clinicId) => markNoShows(dependencies, actor, clinicId),
    expireLapsedOffers: (actor, clinicId) => expireLapsedOffers(dependencies, actor, clinicId),
    get: (actor, id) => getAppointment(dependencies, actor, id),
  };
}
