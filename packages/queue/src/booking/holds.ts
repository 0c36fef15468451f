import {
  appointmentTransitions,
  assertTransition,
  authorize,
  parseArguments,
  type Actor,
  type Appointment,
  type AppointmentId,
  type StaffId,
} from '@carequeue/core';
import { loadAuthorizedAppointment } from './appointment-access.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { HoldExpiredError } from './booking-errors.js';
import { toIso } from './booking-instants.js';
import type { ExpiredHold, StoredAppointment, TimeSpan } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import type { WaitlistEntry } from './ports/waitlist-repository.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';

/**
 * Cancels the staff member's pending holds that lapsed by `now` and overlap `span`, auditing
 * each as `expire-hold`, and returns them.
 */
export async function cancelLapsedHoldsIn(
  { audit }: BookingDependencies,
  work: BookingWorkScope,
  actor: Actor,
  staffId: StaffId,
  span: TimeSpan,
  now: number,
): Promise<ExpiredHold[]> {
  const expired = await work.appointments.expireHolds(actor.tenantId, staffId, span, toIso(now));
  for (const hold of expired) {
    await recordAuditedChange(audit, work, actor, {
      resource: `Appointment/${hold.id}`,
      before: { status: 'pending' },
      after: { status: 'cancelled', cancellationReason: 'hold-expired', version: hold.version },
      tenantId: actor.tenantId,
      patientId: hold.patientId,
      action: 'expire-hold',
    });
  }
  return expired;
}

/**
 * Returns the waitlist entries that were offered the lapsed `holds` to waiting, auditing each as
 * `offer-lapsed`, and returns their ids.
 */
export async function returnLapsedOffersToWaiting(
  { audit }: BookingDependencies,
  work: BookingWorkScope,
  actor: Actor,
  holds: readonly ExpiredHold[],
  now: number,
): Promise<string[]> {
  if (holds.length === 0) return [];
  const reopened = await work.waitlist.reopenLapsedOffers(
    actor.tenantId,
    holds.map((hold) => hold.id),
    toIso(now),
  );
  for (const entry of reopened) {
    await recordAuditedChange(audit, work, actor, {
      resource: `WaitlistEntry/${entry.id}`,
      before: { status: 'offered' },
      after: { status: 'waiting', version: entry.version },
      tenantId: actor.tenantId,
      patientId: entry.patientId,
      action: 'offer-lapsed',
    });
  }
  return reopened.map((entry) => entry.id);
}

/** Closes the waitlist entry that was offered the confirmed hold: its patient is booked. */
async function closeOfferOf(
  { audit }: BookingDependencies,
  work: BookingWorkScope,
  actor: Actor,
  booked: StoredAppointment,
): Promise<void> {
  const entry = await work.waitlist.findByOffer(actor.tenantId, booked.id);
  if (entry?.status !== 'offered') return;
  const closed: WaitlistEntry = {
    ...entry,
    status: 'booked',
    updatedAt: booked.updatedAt,
    version: entry.version + 1,
  };
  await work.waitlist.update(closed);
  await recordAuditedChange(audit, work, actor, auditedChangeOf('WaitlistEntry', entry, closed));
}

/** The `confirm` use case: a live pending hold becomes a booking. */
export async function confirmHold(
  dependencies: BookingDependencies,
  actor: Actor,
  id: AppointmentId,
): Promise<Appointment> {
  const { unitOfWork, audit, clock } = dependencies;
  ({ actor, id } = parseArguments(bookingArguments.byId, { actor, id }, 'booking.confirm'));
  authorize(actor, 'appointment:write');
  return unitOfWork.run(actor, async (work) => {
    const current = await loadAuthorizedAppointment(work, actor, id, 'appointment:write');
    assertTransition(appointmentTransitions, current.status, 'booked');
    if (current.holdExpiresAt !== undefined && Date.parse(current.holdExpiresAt) <= clock.now()) {
      throw new HoldExpiredError();
    }
    const { holdExpiresAt: _confirmed, ...rest } = current;
    const booked: StoredAppointment = {
      ...rest,
      status: 'booked',
      updatedAt: toIso(clock.now()),
      version: current.version + 1,
    };
    await work.appointments.update(booked);
    await recordAuditedChange(
      audit,
      work,
      actor,
      auditedChangeOf('Appointment', current, booked, { action: 'confirm' }),
    );
    await closeOfferOf(dependencies, work, actor, booked);
    return booked;
  });
}
