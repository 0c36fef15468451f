import { authorize, NotFoundError, parseArguments, uuidv7, type Actor } from '@carequeue/core';
import { authorizeBookingFor } from './appointment-access.js';
import { bookingArguments } from './booking-arguments.js';
import type { BookingDependencies } from './booking-dependencies.js';
import { toIso } from './booking-instants.js';
import type { WaitlistRequest } from './booking-requests.js';
import type { WaitlistEntry } from './ports/waitlist-repository.js';
import { auditedChangeOf, recordAuditedChange } from './record-audited-change.js';

/** The `joinWaitlist` use case: a waiting entry, offered freed slots oldest first. */
export async function joinWaitlist(
  { unitOfWork, audit, clock }: BookingDependencies,
  actor: Actor,
  request: WaitlistRequest,
): Promise<WaitlistEntry> {
  ({ actor, request } = parseArguments(
    bookingArguments.joinWaitlist,
    { actor, request },
    'booking.joinWaitlist',
  ));
  authorizeBookingFor(actor, request);
  return unitOfWork.run(actor, async (work) => {
    const serviceType = await work.serviceTypes.get(actor.tenantId, request.serviceTypeId);
    if (serviceType?.clinicId !== request.clinicId) throw new NotFoundError('service type');
    const now = toIso(clock.now());
    const entry: WaitlistEntry = {
      id: uuidv7(),
      tenantId: actor.tenantId,
      clinicId: request.clinicId,
      patientId: request.patientId,
      serviceTypeId: request.serviceTypeId,
      ...(request.staffId === undefined ? {} : { staffId: request.staffId }),
      ...(request.earliestAt === undefined
        ? {}
        : { earliestAt: toIso(Date.parse(request.earliestAt)) }),
      ...(request.latestAt === undefined ? {} : { latestAt: toIso(Date.parse(request.latestAt)) }),
      status: 'waiting',
      createdAt: now,
      updatedAt: now,
      version: 0,
    };
    await work.waitlist.insert(entry);
    await recordAuditedChange(audit, work, actor, auditedChangeOf('WaitlistEntry', null, entry));
    return entry;
  });
}

/** The `getWaitlistEntry` use case: the entry, if the actor may read its patient's bookings. */
export async function getWaitlistEntry(
  { unitOfWork }: BookingDependencies,
  actor: Actor,
  id: string,
): Promise<WaitlistEntry> {
  ({ actor, id } = parseArguments(
    bookingArguments.getWaitlistEntry,
    { actor, id },
    'booking.getWaitlistEntry',
  ));
  authorize(actor, 'appointment:read');
  const entry = await unitOfWork.run(actor, (work) => work.waitlist.get(actor.tenantId, id));
  if (entry === undefined) throw new NotFoundError('waitlist entry');
  authorize(actor, 'appointment:read', {
    tenantId: entry.tenantId,
    clinicId: entry.clinicId,
    patientId: entry.patientId,
  });
  return entry;
}
