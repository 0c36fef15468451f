import { type Invitation } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { StaleVersionError } from '../../errors.js';
import type { InvitationRepository } from '../ports/invitation-repository.js';
import { decodeCursor, pageLimit, pageOf } from '../../pagination.js';
import { invitationFromRow, type InvitationRow } from '../../postgres/queue-rows.js';
import { checkedInvitationRepository } from '../ports/checked-invitation-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';

const SELECT_INVITATION = `
  SELECT id, tenant_id, email, roles, clinic_ids::text[] AS clinic_ids, status, token_hash,
         invited_by, expires_at, accepted_at, staff_id, created_at, version
  FROM queue.invitations`;

function columnsOf(invitation: Invitation): unknown[] {
  return [
    invitation.id,
    invitation.tenantId,
    invitation.email,
    invitation.roles,
    invitation.clinicIds,
    invitation.status,
    invitation.tokenHash,
    invitation.invitedBy,
    invitation.expiresAt,
    invitation.acceptedAt ?? null,
    invitation.staffId ?? null,
    invitation.createdAt,
    invitation.version,
  ];
}

/**
 * Options of {@link sqlInvitationRepository}.
 *
 * @example
 * ```ts
 * const options: SqlInvitationRepositoryOptions = { executor };
 * ```
 */
export interface SqlInvitationRepositoryOptions {
  /**
   * The executor to run on. Looking an invitation up by its token hash happens before the invitee
   * belongs to the tenant, so that call needs a `service_role` transaction.
   */
  readonly executor: SqlExecutor;
}

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
  const { executor } = options;
  return checkedInvitationRepository({
    async insert(invitation) {
      await executor.query(
        `INSERT INTO queue.invitations (id, tenant_id, email, roles, clinic_ids, status,
           token_hash, invited_by, expires_at, accepted_at, staff_id, created_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        columnsOf(invitation),
      );
    },
    async update(invitation) {
      const { rowCount } = await executor.query(
        `UPDATE queue.invitations SET email = $3, roles = $4, clinic_ids = $5, status = $6,
           token_hash = $7, invited_by = $8, expires_at = $9, accepted_at = $10, staff_id = $11,
           created_at = $12, version = $13
         WHERE id = $1 AND tenant_id = $2 AND version = $13 - 1`,
        columnsOf(invitation),
      );
      if (rowCount !== 1) throw new StaleVersionError('invitation');
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<InvitationRow<unknown>>(
        `${SELECT_INVITATION} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : invitationFromRow(rows[0]);
    },
    async findByTokenHash(tokenHash) {
      const { rows } = await executor.query<InvitationRow<unknown>>(
        `${SELECT_INVITATION} WHERE token_hash = $1`,
        [tokenHash],
      );
      return rows[0] === undefined ? undefined : invitationFromRow(rows[0]);
    },
    async list(tenantId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      const { rows } = await executor.query<InvitationRow<unknown>>(
        `${SELECT_INVITATION} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
         ORDER BY id LIMIT $3`,
        [tenantId, after ?? null, limit + 1],
      );
      return pageOf(rows.map(invitationFromRow), limit);
    },
  });
}
