import type { AuditLogService } from '@carequeue/audit';
import type { Actor } from '@carequeue/core';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';
import { recordModification } from '../record-modification.js';

/** One change of a booking record as the audit trail keeps it. */
export interface AuditedChange {
  /** The record: `Appointment/<id>` or `WaitlistEntry/<id>`. */
  readonly resource: string;
  /** The record before the change; `null` when the change created it. */
  readonly before: unknown;
  readonly after: unknown;
  readonly tenantId: string;
  /** The patient whose record it is, so the change shows in their audit trail. */
  readonly patientId: string;
  /** @default 'create' when `before` is `null`, else 'update' */
  readonly action?: string;
  readonly metadata?: Record<string, unknown>;
}

/**
 * Builds the audit event of a change made by `actor` and records it in the unit of work, so the
 * event commits or rolls back with the change itself.
 */
export async function recordAuditedChange(
  audit: Pick<AuditLogService, 'buildModificationEvent'>,
  work: Pick<BookingWorkScope, 'recordAudit'>,
  actor: Pick<Actor, 'userId'>,
  change: AuditedChange,
): Promise<void> {
  const { resource, before, after, tenantId, patientId, action, metadata } = change;
  await recordModification(audit, work, actor.userId, resource, before, after, {
    tenantId,
    patientId,
    ...(action === undefined ? {} : { action }),
    ...(metadata === undefined ? {} : { metadata }),
  });
}

/** A booking record the audit trail files under its patient. */
interface PatientRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly patientId: string;
}

/**
 * The audited change of an appointment or a waitlist entry from `before` (`null`: created) to
 * `after`, filed under the record's tenant and patient.
 */
export function auditedChangeOf<T extends PatientRecord>(
  resourceType: 'Appointment' | 'WaitlistEntry',
  before: T | null,
  after: T,
  details: Pick<AuditedChange, 'action' | 'metadata'> = {},
): AuditedChange {
  return {
    resource: `${resourceType}/${after.id}`,
    before,
    after,
    tenantId: after.tenantId,
    patientId: after.patientId,
    ...details,
  };
}
