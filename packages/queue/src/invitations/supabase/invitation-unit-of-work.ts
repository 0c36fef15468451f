import { z } from 'zod';
import { ClinicId, type Actor, type Invitation, type Staff } from '@carequeue/core';
import { DatabaseError } from '@carequeue/core/sql';
import { toEventRecord } from '@carequeue/audit/postgres';
import type { SupabaseClient } from '@supabase/supabase-js';
import { StaleVersionError } from '../../errors.js';
import type {
  InvitationUnitOfWork,
  InvitationWorkScope,
} from '../ports/invitation-unit-of-work.js';
import { postgrest } from '../../supabase/request.js';
import { queueSchema } from '../../supabase/options.js';
import { invitationToRow, staffToRow } from '../../postgres/queue-rows.js';
import { supabaseInvitationRepository } from './invitation-repository.js';
import { supabaseStaffRepository } from '../../staff/supabase/index.js';
import { checkFactoryOptions, functionOption } from '../../config/factory-options.js';
import { SupabaseClientOption } from '../../supabase/options.js';

/**
 * Options of {@link supabaseInvitationUnitOfWork}.
 *
 * @example
 * ```ts
 * const options: SupabaseInvitationUnitOfWorkOptions = {
 *   clientFor: (actor) => createClient(url, anonKey, { global: { headers: { Authorization: `Bearer ${jwtOf(actor)}` } } }),
 *   serviceClient: createClient(url, serviceRoleKey),
 * };
 * ```
 */
export interface SupabaseInvitationUnitOfWorkOptions {
  /** The client carrying the actor's own JWT, so row-level security applies to administrators. */
  readonly clientFor: (actor: Actor) => SupabaseClient;
  /** A client with the service role key, for acceptances by invitees not yet in the tenant. */
  readonly serviceClient: SupabaseClient;
  /**
   * The schema of the queue migrations; it must be listed in PostgREST's exposed schemas.
   *
   * @default 'queue'
   */
  readonly schema?: string;
}

type Step =
  | { readonly op: 'insert_invitation' | 'update_invitation'; readonly row: unknown }
  | { readonly op: 'insert_staff'; readonly row: unknown }
  | { readonly op: 'audit'; readonly events: unknown[] };

function unitOn(
  client: SupabaseClient,
  schema: string | undefined,
): <T>(work: (scope: InvitationWorkScope) => Promise<T>) => Promise<T> {
  const options = schema === undefined ? { client } : { client, schema };
  const db = queueSchema(options);
  const invitations = supabaseInvitationRepository(options);
  const staff = supabaseStaffRepository(options);
  return async (work) => {
    const steps: Step[] = [];
    const result = await work({
      invitations: {
        ...invitations,
        insert: (invitation: Invitation) => {
          steps.push({ op: 'insert_invitation', row: invitationToRow(invitation) });
          return Promise.resolve();
        },
        update: (invitation: Invitation) => {
          steps.push({ op: 'update_invitation', row: invitationToRow(invitation) });
          return Promise.resolve();
        },
      },
      staff: {
        ...staff,
        insert: (member: Staff) => {
          steps.push({ op: 'insert_staff', row: staffToRow(member) });
          return Promise.resolve();
        },
      },
      clinicsInTenant: async (tenantId, clinicIds) => {
        if (clinicIds.length === 0) return [];
        const rows = await postgrest('invitations.clinicsInTenant', () =>
          db
            .from('clinics')
            .select('id')
            .eq('tenant_id', tenantId)
            .in('id', [...clinicIds])
            .returns<{ id: string }[]>(),
        );
        return (rows ?? []).map((row) => ClinicId.parse(row.id));
      },
      recordAudit: (event) => {
        steps.push({ op: 'audit', events: [toEventRecord(event)] });
        return Promise.resolve();
      },
    });
    if (steps.length > 0) {
      try {
        await postgrest('invitations.commit', () =>
          db.rpc('commit_invitation_work', { p_steps: steps }),
        );
      } catch (error: unknown) {
        if (error instanceof DatabaseError && error.sqlState === 'PT409') {
          throw new StaleVersionError('invitation', { cause: error });
        }
        throw error;
      }
    }
    return result;
  };
}

const SupabaseInvitationUnitOfWorkOptionsSchema = z.object({
  clientFor: functionOption(),
  serviceClient: SupabaseClientOption,
  schema: z.string().min(1).max(63).optional(),
});

/**
 * An {@link InvitationUnitOfWork} over supabase-js. Reads go to PostgREST as they are made;
 * writes and audit events are collected and sent at the end of the unit in one call of
 * `queue.commit_invitation_work`, which applies them in order in one transaction, so an
 * acceptance (invitation marked accepted, staff row with its roles, audit events) commits whole
 * or not at all. Writes of a unit are therefore not visible to its own reads, and version
 * conflicts surface when the unit commits, as `StaleVersionError`. Only the writes the
 * invitation service makes are collected (invitation inserts and updates, staff inserts, audit
 * events); a staff update made through the scope is sent at once, outside the unit's transaction.
 * Administrators' units run under their own JWT; acceptances under the service role.
 *
 * @throws `StaleVersionError` when an invitation changed since the unit read it; the
 * errors of core's `toSqlError` for database errors; {@link QueueSupabaseRequestError} when
 * PostgREST refuses a request or cannot be reached.
 * @example
 * ```ts
 * import { createStaffInvitationService } from '@carequeue/queue';
 * import { supabaseInvitationUnitOfWork } from '@carequeue/queue/supabase';
 *
 * const invitations = createStaffInvitationService({
 *   unitOfWork: supabaseInvitationUnitOfWork({ clientFor, serviceClient }),
 *   audit,
 *   clock,
 * });
 * ```
 */
export function supabaseInvitationUnitOfWork(
  options: SupabaseInvitationUnitOfWorkOptions,
): InvitationUnitOfWork {
  checkFactoryOptions(
    'supabaseInvitationUnitOfWork',
    SupabaseInvitationUnitOfWorkOptionsSchema,
    options,
  );
  const asInvitee = unitOn(options.serviceClient, options.schema);
  return {
    run: (actor, work) => unitOn(options.clientFor(actor), options.schema)(work),
    runAsInvitee: (work) => asInvitee(work),
  };
}
