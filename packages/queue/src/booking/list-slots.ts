import { authorize, MINUTE_MS, parseArguments, type Actor } from '@carequeue/core';
import {
  assertSlotRange,
  busyRangeOf,
  checkSlot,
  listAvailableSlots,
  type AvailabilityRules,
  type Slot,
} from '../availability/index.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { parseInstant, toIso } from './booking-instants.js';
import type { AvailableSlot, SlotQuery } from './booking-requests.js';
import type { BusyAppointment } from './ports/appointment-repository.js';
import { blockingRanges, loadSlotRules } from './slot-availability.js';

/** What decides which group sessions still take patients in `[from, to)`. */
interface GroupSessionQuery {
  readonly rules: AvailabilityRules;
  readonly serviceTypeId: SlotQuery['serviceTypeId'];
  readonly capacity: number;
  readonly taken: readonly BusyAppointment[];
  readonly from: number;
  readonly to: number;
  readonly now: number;
}

/**
 * The starts of the group sessions of the service type in `[from, to)` that have a free seat
 * and that the rules still offer: bookable despite the seats already taken there.
 */
function groupSessionsWithFreeSeats(query: GroupSessionQuery): Slot[] {
  const seatsBySession = new Map<string, BusyAppointment[]>();
  for (const row of query.taken) {
    if (row.groupSlotId === undefined || row.serviceTypeId !== query.serviceTypeId) continue;
    seatsBySession.set(row.groupSlotId, [...(seatsBySession.get(row.groupSlotId) ?? []), row]);
  }
  const open: Slot[] = [];
  for (const [groupSlotId, seats] of seatsBySession) {
    const start = Date.parse(seats[0]!.start);
    if (seats.length >= query.capacity || start < query.from || start >= query.to) continue;
    const busy = blockingRanges(query.taken, query.now, groupSlotId);
    const check = checkSlot(query.rules, { now: query.now, busy }, start);
    if (check.available) open.push(check.slot);
  }
  return open;
}

/** The `listSlots` use case: the bookable slots, by the rules that also check every booking. */
export async function listSlots(
  { unitOfWork, clock, seatCapacity }: BookingDependencies,
  actor: Actor,
  query: SlotQuery,
): Promise<AvailableSlot[]> {
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
  return unitOfWork.run(actor, async (work) => {
    const { rules, serviceType } = await loadSlotRules(work, actor, query);
    // Every busy range a slot starting in [from, to) could need, by the one busy-range rule.
    const reach = busyRangeOf(rules, { start: from, end: to + rules.durationMinutes * MINUTE_MS });
    const taken = await work.appointments.listBusy(actor.tenantId, query.staffId, {
      start: toIso(reach.start),
      end: toIso(reach.end),
    });
    const slots = listAvailableSlots(rules, { now, busy: blockingRanges(taken, now) }, from, to);
    const capacity = seatCapacity(serviceType);
    if (capacity > 1) {
      slots.push(
        ...groupSessionsWithFreeSeats({
          rules,
          serviceTypeId: query.serviceTypeId,
          capacity,
          taken,
          from,
          to,
          now,
        }),
      );
      slots.sort((a, b) => a.start - b.start);
    }
    return slots.map((slot) => ({ start: toIso(slot.start), end: toIso(slot.end) }));
  });
}
