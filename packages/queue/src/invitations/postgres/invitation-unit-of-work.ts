import type {
  InvitationUnitOfWork,
  InvitationWorkScope,
} from '../ports/invitation-unit-of-work.js';
import { sqlClinicsInTenant } from '../../clinics/postgres/index.js';
import { sqlInvitationRepository } from './invitation-repository.js';
import { sqlStaffRepository } from '../../staff/postgres/index.js';
import { checkedSqlUnits, type SqlUnitOfWorkOptions } from '../../postgres/sql-adapter-options.js';

/**
 * Options of {@link sqlInvitationUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlInvitationUnitOfWorkOptions = { executor };
 * ```
 */
export type SqlInvitationUnitOfWorkOptions = SqlUnitOfWorkOptions;

/**
 * An {@link InvitationUnitOfWork} over core's `SqlExecutor`. Each unit is one transaction with its
 * audit events: under the actor's claims for administrators, so row-level security applies, and
 * as `service_role` for an acceptance (the invitee is not a member of the tenant yet; the token
 * is the credential). An acceptance that fails at any step leaves the invitation pending, no
 * staff row and no audit event.
 *
 * @example
 * ```ts
 * import { createStaffInvitationService } from '@carequeue/queue';
 * import { sqlInvitationUnitOfWork } from '@carequeue/queue/postgres';
 *
 * const invitations = createStaffInvitationService({
 *   unitOfWork: sqlInvitationUnitOfWork({ executor }),
 *   audit,
 *   clock,
 * });
 * ```
 */
export function sqlInvitationUnitOfWork(
  options: SqlInvitationUnitOfWorkOptions,
): InvitationUnitOfWork {
  const units = checkedSqlUnits('sqlInvitationUnitOfWork', options, {
    scope: (tx, recordAudit): InvitationWorkScope => ({
      invitations: sqlInvitationRepository({ executor: tx }),
      staff: sqlStaffRepository({ executor: tx }),
      clinicsInTenant: (tenantId, clinicIds) => sqlClinicsInTenant(tx, tenantId, clinicIds),
      recordAudit,
    }),
  });
  return { run: units.asActor, runAsInvitee: units.asServiceRole };
}
