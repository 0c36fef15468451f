import type { Actor, ClinicId, TenantId } from '@carequeue/core';
import type { AuditEvent } from '@carequeue/audit';
import type { StaffRepository } from '../../staff/index.js';
import type { InvitationRepository } from './invitation-repository.js';

/**
 * What one invitation unit of work may touch: invitations, the staff they turn into, the tenant's
 * clinics (to check invited clinic ids) and the audit trail, all in the same transaction.
 *
 * @example
 * ```ts
 * await unitOfWork.runAsInvitee(async ({ invitations, staff, recordAudit }) => {
 *   await invitations.update(accepted);
 *   await staff.insert(member);
 *   await recordAudit(event);
 * });
 * ```
 */
export interface InvitationWorkScope {
  readonly invitations: InvitationRepository;
  readonly staff: StaffRepository;
  /**
   * Which of `clinicIds` are clinics of the tenant, in one read. Clinics of other tenants are left
   * out exactly like ids that do not exist.
   */
  readonly clinicsInTenant: (
    tenantId: TenantId,
    clinicIds: readonly ClinicId[],
  ) => Promise<readonly ClinicId[]>;
  /** Records audit events so they commit or roll back with the changes of this unit. */
  readonly recordAudit: (event: AuditEvent) => Promise<void>;
}

/**
 * Runs invitation reads and writes atomically with their audit events: as the actor for an
 * administrator's invite, revoke, resend and list, and as the service for an acceptance, which
 * comes from someone who is not a member of the tenant yet and holds only the token.
 *
 * @example
 * ```ts
 * const unitOfWork: InvitationUnitOfWork = memoryInvitationUnitOfWork({ auditStore, clinics });
 * ```
 */
export interface InvitationUnitOfWork {
  run<T>(actor: Actor, work: (scope: InvitationWorkScope) => Promise<T>): Promise<T>;
  runAsInvitee<T>(work: (scope: InvitationWorkScope) => Promise<T>): Promise<T>;
}
