import { z } from 'zod';
import {
  AppointmentId,
  ClinicId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
  Timestamp,
  Version,
} from '@carequeue/core';
import { checkedPort, recordArguments } from '../../arguments/checked-port.js';
import type { WaitlistRepository } from './waitlist-repository.js';

/** The most lapsed holds one call reopens entries for. */
const MAX_REOPENED = 10_000;

/** A waitlist entry as every adapter stores it; requests to join take their fields from it. */
export const WaitlistEntryRow = z.object({
  id: z.uuid(),
  tenantId: TenantId,
  clinicId: ClinicId,
  patientId: PatientId,
  serviceTypeId: ServiceTypeId,
  staffId: StaffId.optional(),
  earliestAt: Timestamp.optional(),
  latestAt: Timestamp.optional(),
  status: z.enum(['waiting', 'offered', 'booked', 'cancelled']),
  offeredAppointmentId: AppointmentId.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Version,
});

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs,
 * instants that are not ISO timestamps and malformed entries, so the memory and SQL adapters
 * refuse the same arguments the same way. Every waitlist adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedWaitlistRepository({ insert, update, get, ... });
 * ```
 */
export function checkedWaitlistRepository<R extends WaitlistRepository>(repository: R): R {
  return checkedPort<WaitlistRepository>('WaitlistRepository', repository, {
    ...recordArguments('entry', WaitlistEntryRow, z.uuid()),
    nextWaiting: [
      ['tenantId', TenantId],
      ['clinicId', ClinicId],
      ['serviceTypeId', ServiceTypeId],
      ['staffId', StaffId],
      ['start', Timestamp],
    ],
    reopenLapsedOffers: [
      ['tenantId', TenantId],
      ['holdIds', z.array(AppointmentId).max(MAX_REOPENED)],
      ['now', Timestamp],
    ],
    findByOffer: [
      ['tenantId', TenantId],
      ['appointmentId', AppointmentId],
    ],
  }) as R;
}
