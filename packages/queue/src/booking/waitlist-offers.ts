import {
  authorize,
  NotFoundError,
  parseArguments,
  type Actor,
  type ClinicId,
} from '@carequeue/core';
import { SlotUnavailableError } from '../errors.js';
import { bookSlot } from './book.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { SlotOutsideAvailabilityError } from './booking-errors.js';
import { toIso } from './booking-instants.js';
import { cancelLapsedHoldsIn, returnLapsedOffersToWaiting } from './holds.js';
import type { StoredAppointment } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import type { WaitlistEntry } from './ports/waitlist-repository.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';

/** The most lapsed holds one call handles; a job scheduler calls again for the rest. */
const LAPSED_HOLDS_PER_CALL = 500;

/** Waitlist entries of other patients are out of the caller's reach: a worker role offers. */
function offeringWorkerFor(actor: Actor): Actor {
  return { userId: actor.userId, tenantId: actor.tenantId, roles: ['service'], aal: 'aal2' };
}

/** The slot may be gone again or no longer offered: then nobody is offered it. */
const isSlotGone = (error: unknown): boolean =>
  error instanceof SlotUnavailableError || error instanceof SlotOutsideAvailabilityError;

/** Offers the freed slot as a hold to the oldest matching waiting entry, inside a unit of work. */
async function offerSlotToNextWaiting(
  dependencies: BookingDependencies,
  work: BookingWorkScope,
  worker: Actor,
  freed: StoredAppointment,
): Promise<void> {
  const entry = await work.waitlist.nextWaiting(
    freed.tenantId,
    freed.clinicId,
    freed.serviceTypeId,
    freed.staffId,
    freed.start,
  );
  if (entry === undefined) return;
  const hold = await bookSlot(dependencies, work, worker, {
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
    updatedAt: toIso(dependencies.clock.now()),
    version: entry.version + 1,
  };
  await work.waitlist.update(offered);
  await recordAuditedChange(
    dependencies.audit,
    work,
    worker,
    auditedChangeOf('WaitlistEntry', entry, offered, { action: 'offer' }),
  );
}

/**
 * After a change committed: offers the freed slot to the oldest matching waitlist entry. The
 * change itself stands whatever happens here; failures other than the slot being gone go to
 * `reportBackgroundError`.
 */
export async function offerFreedSlot(
  dependencies: BookingDependencies,
  actor: Actor,
  freed: StoredAppointment,
): Promise<void> {
  if (Date.parse(freed.start) <= dependencies.clock.now()) return;
  const worker = offeringWorkerFor(actor);
  try {
    await dependencies.unitOfWork.run(worker, (work) =>
      offerSlotToNextWaiting(dependencies, work, worker, freed),
    );
  } catch (error: unknown) {
    if (!isSlotGone(error)) dependencies.reportBackgroundError(error);
  }
}

/**
 * Cancels one lapsed hold (and any other lapsed hold in its range), offers its slot to the next
 * waiting entry when `offer` (while the lapsed entry is still `offered`, so it is not picked),
 * then returns the entries whose offers lapsed to waiting and their ids.
 */
async function lapseHold(
  dependencies: BookingDependencies,
  work: BookingWorkScope,
  worker: Actor,
  hold: StoredAppointment,
  offer: boolean,
): Promise<string[]> {
  const now = dependencies.clock.now();
  const span = { start: hold.start, end: hold.end };
  const expired = await cancelLapsedHoldsIn(dependencies, work, worker, hold.staffId, span, now);
  if (offer && Date.parse(hold.start) > now && expired.some((one) => one.id === hold.id)) {
    await offerSlotToNextWaiting(dependencies, work, worker, hold);
  }
  return returnLapsedOffersToWaiting(dependencies, work, worker, expired, now);
}

/** The `expireLapsedOffers` use case: lapses the clinic's lapsed holds and re-offers their slots. */
export async function expireLapsedOffers(
  dependencies: BookingDependencies,
  actor: Actor,
  clinicId: ClinicId,
): Promise<string[]> {
  const { unitOfWork, clock } = dependencies;
  ({ actor, clinicId } = parseArguments(
    bookingArguments.byClinic,
    { actor, clinicId },
    'booking.expireLapsedOffers',
  ));
  authorize(actor, 'queue:operate', { tenantId: actor.tenantId, clinicId });
  const worker = offeringWorkerFor(actor);
  const lapsed = await unitOfWork.run(worker, async (work) => {
    if ((await work.clinics.get(actor.tenantId, clinicId)) === undefined) {
      throw new NotFoundError('clinic');
    }
    return work.appointments.listLapsedHolds(
      actor.tenantId,
      clinicId,
      toIso(clock.now()),
      LAPSED_HOLDS_PER_CALL,
    );
  });
  const reopened: string[] = [];
  for (const hold of lapsed) {
    const lapseIn = (offer: boolean) =>
      unitOfWork.run(worker, (work) => lapseHold(dependencies, work, worker, hold, offer));
    try {
      reopened.push(...(await lapseIn(true)));
    } catch (error: unknown) {
      if (!isSlotGone(error)) throw error;
      // Nobody can be offered the slot (taken again, or too close to its start): the offer that
      // failed rolled back, so lapse the hold without offering.
      reopened.push(...(await lapseIn(false)));
    }
  }
  return reopened;
}
