import { createHash } from 'node:crypto';
import {
  AppointmentId,
  ForbiddenError,
  MINUTE_MS,
  parseArguments,
  STAFF_ROLES,
  uuidv7,
  type Actor,
  type Appointment,
  type ClinicId,
  type PatientId,
  type ServiceTypeId,
  type StaffId,
} from '@carequeue/core';
import {
  assertSupportedInstant,
  busyRangeOf,
  checkSlot,
  type AvailabilityRules,
} from '../availability/index.js';
import { SlotUnavailableError } from '../errors.js';
import { authorizeBookingFor } from './appointment-access.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { SlotOutsideAvailabilityError } from './booking-errors.js';
import { parseInstant, toIso } from './booking-instants.js';
import type { BookingRequest, OverrideReason, OverrideRequest } from './booking-requests.js';
import { cancelLapsedHoldsIn, returnLapsedOffersToWaiting } from './holds.js';
import { bookOncePerKey, keyedRequestOf, type KeyedRequest } from './idempotent-booking.js';
import type { StoredAppointment, TimeSpan } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';
import { blockingRanges, loadSlotRules } from './slot-availability.js';

/** What to book: the shared input of booking, override, reschedule and waitlist offers. */
export interface BookingPlan {
  readonly clinicId: ClinicId;
  readonly staffId: StaffId;
  readonly serviceTypeId: ServiceTypeId;
  readonly patientId: PatientId;
  readonly start: string;
  /** A pending hold that lapses unless confirmed, instead of a booking. */
  readonly hold: boolean;
  /** Skips the availability rules (never the overlap check), recorded in the audit trail. */
  readonly override?: OverrideReason;
  readonly previousAppointmentId?: AppointmentId;
  /** The idempotency key stored on the new appointment's row. */
  readonly keyed?: KeyedRequest;
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

/** Where and when the slot is checked: the rules, the busy range it needs, the group session. */
interface SlotCheckInput {
  readonly rules: AvailabilityRules;
  readonly span: TimeSpan;
  readonly groupSlotId: string | undefined;
  readonly now: number;
}

/** Refuses a start the availability rules do not offer, or one a taken range blocks. */
async function assertSlotBookable(
  work: BookingWorkScope,
  actor: Actor,
  plan: BookingPlan,
  { rules, span, groupSlotId, now }: SlotCheckInput,
): Promise<void> {
  const taken = await work.appointments.listBusy(actor.tenantId, plan.staffId, span);
  const check = checkSlot(
    rules,
    { now, busy: blockingRanges(taken, now, groupSlotId) },
    Date.parse(plan.start),
  );
  if (check.available) return;
  if (check.reason === 'busy') throw new SlotUnavailableError();
  throw new SlotOutsideAvailabilityError(check.reason);
}

/**
 * Books `plan` inside a unit of work: cancels the lapsed holds in the slot's way (their waitlist
 * entries wait again), checks the slot unless overridden, inserts the appointment, takes a seat
 * of a group session, and audits the booking.
 *
 * @throws {@link SlotUnavailableError}; {@link SlotOutsideAvailabilityError}; `NotFoundError`;
 * `ValidationError` for a start that is not a timestamp.
 */
export async function bookSlot(
  dependencies: BookingDependencies,
  work: BookingWorkScope,
  actor: Actor,
  plan: BookingPlan,
): Promise<StoredAppointment> {
  const { audit, clock, holdMs, seatCapacity } = dependencies;
  const startMs = parseInstant(plan.start, 'start');
  const now = clock.now();
  const { rules, serviceType } = await loadSlotRules(work, actor, plan);
  const capacity = seatCapacity(serviceType);
  const groupSlotId = capacity > 1 ? groupSlotIdOf(plan, startMs, actor.tenantId) : undefined;
  const visit = { start: startMs, end: startMs + serviceType.durationMinutes * MINUTE_MS };
  const busy = busyRangeOf(serviceType, visit);
  const span = { start: toIso(busy.start), end: toIso(busy.end) };
  const expired = await cancelLapsedHoldsIn(dependencies, work, actor, plan.staffId, span, now);
  await returnLapsedOffersToWaiting(dependencies, work, actor, expired, now);
  if (plan.override === undefined) {
    await assertSlotBookable(work, actor, plan, { rules, span, groupSlotId, now });
  }
  const stamp = toIso(now);
  const appointment: StoredAppointment = {
    id: AppointmentId.parse(uuidv7()),
    tenantId: actor.tenantId,
    clinicId: plan.clinicId,
    patientId: plan.patientId,
    staffId: plan.staffId,
    serviceTypeId: plan.serviceTypeId,
    status: plan.hold ? 'pending' : 'booked',
    start: toIso(visit.start),
    end: toIso(visit.end),
    ...(plan.hold ? { holdExpiresAt: toIso(now + holdMs) } : {}),
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
  await work.appointments.insert(
    plan.keyed === undefined
      ? appointment
      : {
          ...appointment,
          idempotency: { key: plan.keyed.digest, fingerprint: plan.keyed.fingerprint },
        },
  );
  let seatNumber: number | undefined;
  if (groupSlotId !== undefined) {
    seatNumber = await work.appointments.takeSeat(
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
  await recordAuditedChange(
    audit,
    work,
    actor,
    auditedChangeOf('Appointment', null, appointment, {
      ...(plan.override === undefined ? {} : { action: 'override-book' }),
      metadata: {
        ...(plan.override === undefined ? {} : { override: plan.override }),
        ...(seatNumber === undefined ? {} : { seatNumber }),
      },
    }),
  );
  return appointment;
}

/** The `book` use case: a listed slot, booked or held, once per idempotency key. */
export async function book(
  dependencies: BookingDependencies,
  actor: Actor,
  request: BookingRequest,
): Promise<Appointment> {
  ({ actor, request } = parseArguments(bookingArguments.book, { actor, request }, 'booking.book'));
  assertSupportedInstant(Date.parse(request.start), 'request.start');
  authorizeBookingFor(actor, request);
  const { idempotencyKey, ...payload } = request;
  const keyed = keyedRequestOf(actor, idempotencyKey, { op: 'book', ...payload });
  return bookOncePerKey(dependencies, actor, keyed, (work) =>
    bookSlot(dependencies, work, actor, { ...payload, hold: request.hold ?? false, keyed }),
  );
}

/** The `overrideBook` use case: staff book outside the availability rules, once per key. */
export async function overrideBook(
  dependencies: BookingDependencies,
  actor: Actor,
  request: OverrideRequest,
): Promise<Appointment> {
  ({ actor, request } = parseArguments(
    bookingArguments.overrideBook,
    { actor, request },
    'booking.overrideBook',
  ));
  // Overrides skip the availability rules, never the supported dates (ADR 0013).
  assertSupportedInstant(Date.parse(request.start), 'request.start');
  authorizeBookingFor(actor, request);
  if (!actor.roles.some((role) => (STAFF_ROLES as readonly string[]).includes(role))) {
    throw new ForbiddenError(
      'appointment:write',
      'Only clinic staff can book outside the availability rules. Book a listed slot instead.',
    );
  }
  const { idempotencyKey, reason, ...payload } = request;
  const keyed = keyedRequestOf(actor, idempotencyKey, { op: 'override', reason, ...payload });
  return bookOncePerKey(dependencies, actor, keyed, (work) =>
    bookSlot(dependencies, work, actor, { ...payload, hold: false, override: reason, keyed }),
  );
}
