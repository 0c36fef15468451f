import type { Invitation, InvitationId, TenantId } from '@carequeue/core';
import type { Page, PageRequest } from '../../pagination.js';

/**
 * Storage port for staff invitations. Reads by id are tenant-scoped; the lookup by token hash is
 * not, because the invitee does not belong to the tenant yet.
 *
 * @example
 * ```ts
 * const repo: InvitationRepository = memoryInvitationRepository();
 * const invitation = await repo.findByTokenHash(hashInvitationToken(token));
 * ```
 */
export interface InvitationRepository {
  /** Stores a new invitation. */
  insert(invitation: Invitation): Promise<void>;
  /**
   * Replaces an invitation whose stored version is `invitation.version - 1`.
   *
   * @throws {@link StaleVersionError} when the stored version differs or it is absent.
   */
  update(invitation: Invitation): Promise<void>;
  /** The invitation, or `undefined` when absent or in another tenant. */
  get(tenantId: TenantId, id: InvitationId): Promise<Invitation | undefined>;
  /** The invitation whose token has this SHA-256, in any tenant. */
  findByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /** A page of the tenant's invitations in id order. */
  list(tenantId: TenantId, page: PageRequest): Promise<Page<Invitation>>;
}
