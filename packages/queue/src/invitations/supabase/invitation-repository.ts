import type { InvitationRepository } from '../ports/invitation-repository.js';
import { postgrest } from '../../supabase/request.js';
import {
  queueSchema,
  type SupabaseRepositoryOptions,
  SupabaseRepositoryOptionsSchema,
} from '../../supabase/options.js';
import {
  INVITATION_TABLE,
  invitationFromRow,
  type InvitationRow,
} from '../../postgres/queue-rows.js';
import { supabaseTable } from '../../supabase/table.js';
import { checkedInvitationRepository } from '../ports/checked-invitation-repository.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * An {@link InvitationRepository} over supabase-js: `queue.invitations` through PostgREST, under
 * the client's JWT and row-level security. Only the token hash is sent and stored; the lookup by
 * hash calls `queue.invitation_by_token_hash` so the hash travels in a request body, not a URL.
 *
 * @throws `UniqueViolationError` (core) for a duplicate id or token hash;
 * {@link QueueSupabaseRequestError} when PostgREST refuses the request or cannot be reached.
 * @example
 * ```ts
 * import { supabaseInvitationRepository } from '@carequeue/queue/supabase';
 *
 * const invitation = await supabaseInvitationRepository({ client: serviceClient })
 *   .findByTokenHash(hashInvitationToken(token));
 * ```
 */
export function supabaseInvitationRepository(
  options: SupabaseRepositoryOptions,
): InvitationRepository {
  checkFactoryOptions('supabaseInvitationRepository', SupabaseRepositoryOptionsSchema, options);
  const db = queueSchema(options);
  const table = supabaseTable(options, INVITATION_TABLE);
  return checkedInvitationRepository({
    insert: (invitation) => table.insert('invitations.insert', invitation),
    update: (invitation) => table.update('invitations.update', invitation),
    get: (tenantId, id) => table.get('invitations.get', tenantId, id),
    list: (tenantId, page) => table.page('invitations.list', tenantId, {}, page),
    async findByTokenHash(tokenHash) {
      const rows = (await postgrest('invitations.findByTokenHash', () =>
        db.rpc('invitation_by_token_hash', { p_token_hash: tokenHash }),
      )) as InvitationRow[] | null;
      const row = rows?.[0];
      return row === undefined ? undefined : invitationFromRow(row);
    },
  });
}
