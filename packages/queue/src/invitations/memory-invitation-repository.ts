import type { Invitation, TenantId } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import { paginate } from '../pagination.js';
import { trackRows } from '../staff/memory-snapshot.js';
import type { InvitationRepository } from './invitation-repository.js';

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
  const ofTenant = (tenantId: TenantId): Invitation[] =>
    [...rows.values()].filter((row) => row.tenantId === tenantId);

  return trackRows<InvitationRepository>(
    {
      insert(invitation) {
        const hashTaken = [...rows.values()].some((row) => row.tokenHash === invitation.tokenHash);
        if (rows.has(invitation.id) || hashTaken) {
          return Promise.reject(new UniqueViolationError('invitations_unique'));
        }
        rows.set(invitation.id, structuredClone(invitation));
        return Promise.resolve();
      },
      update(invitation) {
        const current = rows.get(invitation.id);
        if (
          current?.tenantId !== invitation.tenantId ||
          current.version !== invitation.version - 1
        ) {
          return Promise.reject(new StaleVersionError('invitation'));
        }
        rows.set(invitation.id, structuredClone(invitation));
        return Promise.resolve();
      },
      get(tenantId, id) {
        const row = rows.get(id);
        return Promise.resolve(row?.tenantId === tenantId ? structuredClone(row) : undefined);
      },
      findByTokenHash(tokenHash) {
        const row = [...rows.values()].find((candidate) => candidate.tokenHash === tokenHash);
        return Promise.resolve(row === undefined ? undefined : structuredClone(row));
      },
      list(tenantId, page) {
        // Deferred so that an unreadable cursor rejects instead of throwing synchronously.
        return Promise.resolve().then(() => {
          const result = paginate(ofTenant(tenantId), page);
          return { ...result, items: result.items.map((row) => structuredClone(row)) };
        });
      },
    },
    rows,
  );
}
