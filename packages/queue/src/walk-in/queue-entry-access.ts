import { authorize, type Actor, type ClinicId, type QueueEntryId } from '@carequeue/core';
import type { AuditLogService } from '@carequeue/audit';
import type { StoredQueueEntry } from './queue-entry-record.js';
import type { WalkInWorkScope } from './ports/walk-in-unit-of-work.js';
import { recordOrNotFound } from '../record-or-not-found.js';

/** The authorization scope of an entry: its tenant, clinic and, when linked, patient. */
export function authorizationScopeOf(entry: StoredQueueEntry) {
  return {
    tenantId: entry.tenantId,
    clinicId: entry.clinicId,
    ...(entry.patientId === undefined ? {} : { patientId: entry.patientId }),
  };
}

/**
 * Checks the actor's permission at a clinic of the actor's tenant.
 *
 * @throws `ForbiddenError`.
 */
export function authorizeAtClinic(
  actor: Actor,
  permission: 'queue:read' | 'queue:operate',
  clinicId: ClinicId,
): void {
  authorize(actor, permission, { tenantId: actor.tenantId, clinicId });
}

/**
 * Reads an entry in the unit of work and checks the actor's permission at its clinic (and
 * patient).
 *
 * @throws `NotFoundError` when the tenant has no such entry; `ForbiddenError`.
 */
export async function loadAuthorizedEntry(
  actor: Actor,
  unit: WalkInWorkScope,
  entryId: QueueEntryId,
  permission: 'queue:read' | 'queue:operate',
): Promise<StoredQueueEntry> {
  const entry = await recordOrNotFound(unit.entries, actor.tenantId, entryId, 'queue entry');
  authorize(actor, permission, authorizationScopeOf(entry));
  return entry;
}

/** Audits that the actor read one entry, before it is returned. */
export async function auditEntryRead(
  audit: AuditLogService,
  actor: Actor,
  entry: StoredQueueEntry,
): Promise<void> {
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
