import type { Invitation } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { memoryTenantRows } from '../../memory/tenant-rows.js';
import { trackRows } from '../../memory/snapshot.js';
import type { InvitationRepository } from '../ports/invitation-repository.js';
import { checkedInvitationRepository } from '../ports/checked-invitation-repository.js';

/**
 * An in-memory {@link InvitationRepository} with the same tenant rules as the SQL schema.
 *
 * @example
 * ```ts
 * const repo = memoryInvitationRepository();
 * ```
 */
export function memoryInvitationRepository(): InvitationRepository {
  const rows = new Map<string, Invitation>();
  const { ofTenant, update, get, page } = memoryTenantRows(rows, 'invitation');

  return trackRows<InvitationRepository>(
    checkedInvitationRepository({
      insert(invitation) {
        const hashTaken = [...rows.values()].some((row) => row.tokenHash === invitation.tokenHash);
        if (rows.has(invitation.id) || hashTaken) {
          return Promise.reject(new UniqueViolationError('invitations_unique'));
        }
        rows.set(invitation.id, structuredClone(invitation));
        return Promise.resolve();
      },
      update,
      get,
      findByTokenHash(tokenHash) {
        const row = [...rows.values()].find((candidate) => candidate.tokenHash === tokenHash);
        return Promise.resolve(row === undefined ? undefined : structuredClone(row));
      },
      list: (tenantId, request) => page(() => ofTenant(tenantId), request),
    }),
    rows,
  );
}
