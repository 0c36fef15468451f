import { z } from 'zod';
import { Invitation, InvitationId, singleLine, TenantId } from '@carequeue/core';
import { checkedPort } from '../../arguments/checked-port.js';
import { PageRequestArgument } from '../../arguments/common-arguments.js';
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
    insert: [['invitation', Invitation]],
    update: [['invitation', Invitation]],
    get: [
      ['tenantId', TenantId],
      ['id', InvitationId],
    ],
    // Any other string matches no invitation, the same on every adapter.
    findByTokenHash: [['tokenHash', singleLine(z.string().max(256))]],
    list: [
      ['tenantId', TenantId],
      ['page', PageRequestArgument],
    ],
  });
}
