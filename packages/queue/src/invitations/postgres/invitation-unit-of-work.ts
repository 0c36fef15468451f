import type { SqlExecutor } from '@carequeue/core/sql';
import { sqlUnits } from '../../postgres/unit-of-work.js';
import type {
  InvitationUnitOfWork,
  InvitationWorkScope,
} from '../ports/invitation-unit-of-work.js';
import { sqlClinicsInTenant } from '../../clinics/postgres/index.js';
import { sqlInvitationRepository } from './invitation-repository.js';
import { sqlStaffRepository } from '../../staff/postgres/index.js';
import { checkFactoryOptions, SqlUnitOfWorkOptionsSchema } from '../../config/factory-options.js';

/**
 * Options of {@link sqlInvitationUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SqlInvitationUnitOfWorkOptions = { executor };
 * ```
 */
export interface SqlInvitationUnitOfWorkOptions {
  /** A pool or PGlite executor whose database ran the core, audit and queue migrations. */
  readonly executor: SqlExecutor;
}

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
  checkFactoryOptions('sqlInvitationUnitOfWork', SqlUnitOfWorkOptionsSchema, options);
  const units = sqlUnits({
    executor: options.executor,
    scope: (tx, recordAudit): InvitationWorkScope => ({
      invitations: sqlInvitationRepository({ executor: tx }),
      staff: sqlStaffRepository({ executor: tx }),
      clinicsInTenant: (tenantId, clinicIds) => sqlClinicsInTenant(tx, tenantId, clinicIds),
      recordAudit,
    }),
  });
  return { run: units.asActor, runAsInvitee: units.asServiceRole };
}
