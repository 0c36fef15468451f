import { z } from 'zod';
import { Invitation, InvitationId, singleLine } from '@carequeue/core';
import { checkedPort, recordArguments, tenantPageArguments } from '../../arguments/checked-port.js';
import type { InvitationRepository } from './invitation-repository.js';

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs and
 * rows that core's `Invitation` schema refuses.
 * Every invitation adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedInvitationRepository({ insert, update, get, findByTokenHash, list });
 * ```
 */
export function checkedInvitationRepository(
  repository: InvitationRepository,
): InvitationRepository {
  return checkedPort('InvitationRepository', repository, {
    ...recordArguments('invitation', Invitation, InvitationId),
    // Any other string matches no invitation, the same on every adapter.
    findByTokenHash: [['tokenHash', singleLine(z.string().max(256))]],
    list: tenantPageArguments,
  });
}
