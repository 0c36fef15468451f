import { z } from 'zod';
import {
  ClinicId,
  QueueEntry,
  QueueEntryId,
  QueueEntryStatus,
  QueueId,
  ServiceTypeId,
  StaffId,
  TenantId,
  Timestamp,
} from '@carequeue/core';
import { checkedPort } from '../../arguments/checked-port.js';
import type { QueueEntryRepository } from './queue-entry-repository.js';
import { QUEUE_EVENT_TYPES } from './queue-event.js';

const StoredQueueEntryRow = QueueEntry.extend({
  orderingKey: z.number(),
  serviceTypeId: ServiceTypeId.optional(),
  firstCalledAt: Timestamp.optional(),
  serviceStartedAt: Timestamp.optional(),
  endedAt: Timestamp.optional(),
  transferredFromEntryId: QueueEntryId.optional(),
});

const Claim = z.object({
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  at: Timestamp,
  counter: QueueEntry.shape.counter,
  calledBy: StaffId.optional(),
});

const PendingEvent = z.object({
  tenantId: TenantId,
  clinicId: ClinicId,
  queueId: QueueId,
  entryId: QueueEntryId,
  type: z.enum(QUEUE_EVENT_TYPES),
  fromStatus: QueueEntryStatus.optional(),
  toStatus: QueueEntryStatus,
  entryVersion: z.int().nonnegative(),
  occurredAt: Timestamp,
});

const line = [
  ['tenantId', TenantId],
  ['queueId', QueueId],
] as const;

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs,
 * instants that are not timestamps and entries that core's `QueueEntry` schema refuses. Every
 * queue entry adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedQueueEntryRepository(repo);
 * ```
 */
export function checkedQueueEntryRepository(
  repository: QueueEntryRepository,
): QueueEntryRepository {
  return checkedPort('QueueEntryRepository', repository, {
    nextTicket: [
      ['tenantId', TenantId],
      ['clinicId', ClinicId],
      ['queueId', QueueId],
      ['at', Timestamp],
    ],
    lockLines: [
      ['tenantId', TenantId],
      ['queueIds', z.array(QueueId)],
    ],
    insert: [['entry', StoredQueueEntryRow]],
    get: [
      ['tenantId', TenantId],
      ['id', QueueEntryId],
    ],
    update: [['entry', StoredQueueEntryRow]],
    claimNext: [['claim', Claim]],
    listLive: line,
    countAhead: [['entry', StoredQueueEntryRow]],
    listCheckedInBetween: [
      ['tenantId', TenantId],
      ['clinicId', ClinicId],
      ['from', Timestamp],
      ['to', Timestamp],
    ],
    listCalledBefore: [...line, ['calledBefore', Timestamp]],
    appendEvents: [['events', z.array(PendingEvent)]],
    listEvents: [...line, ['afterVersion', z.int().nonnegative()], ['limit', z.int().positive()]],
  });
}
