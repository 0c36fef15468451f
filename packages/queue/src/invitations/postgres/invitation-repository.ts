import { sqlTenantTable } from '../../postgres/tenant-table.js';
import type { InvitationRepository } from '../ports/invitation-repository.js';
import { INVITATION_TABLE } from '../../postgres/queue-rows.js';
import { checkedInvitationRepository } from '../ports/checked-invitation-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

const invitationsTable = sqlTenantTable(INVITATION_TABLE);

/**
 * Options of {@link sqlInvitationRepository}. Looking an invitation up by its token hash happens
 * before the invitee belongs to the tenant, so that call needs a `service_role` transaction as its
 * executor.
 *
 * @example
 * ```ts
 * const options: SqlInvitationRepositoryOptions = { executor };
 * ```
 */
export type SqlInvitationRepositoryOptions = SqlRepositoryOptions;

/**
 * An {@link InvitationRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite). The
 * token is never stored, only its SHA-256 hash, which is how an invitation is found on accept.
 *
 * @example
 * ```ts
 * import { asServiceRole } from '@carequeue/core/sql';
 * import { sqlInvitationRepository } from '@carequeue/queue/postgres';
 *
 * const invitation = await asServiceRole(executor, (tx) =>
 *   sqlInvitationRepository({ executor: tx }).findByTokenHash(hashInvitationToken(token)),
 * );
 * ```
 */
export function sqlInvitationRepository(
  options: SqlInvitationRepositoryOptions,
): InvitationRepository {
  checkFactoryOptions('sqlInvitationRepository', SqlRepositoryOptionsSchema, options);
  const invitations = invitationsTable(options.executor);
  return checkedInvitationRepository({
    insert: invitations.insert,
    update: invitations.update,
    get: invitations.get,
    findByTokenHash: (tokenHash) => invitations.findOne('token_hash = $1', [tokenHash]),
    list: (tenantId, page) => invitations.page('tenant_id = $1', [tenantId], page),
  });
}
