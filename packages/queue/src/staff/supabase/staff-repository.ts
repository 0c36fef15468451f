import type { StaffRepository } from '../ports/staff-repository.js';
import {
  SupabaseRepositoryOptionsSchema,
  type SupabaseRepositoryOptions,
} from '../../supabase/options.js';
import { STAFF_TABLE } from '../../postgres/queue-rows.js';
import { supabaseTable } from '../../supabase/table.js';
import { checkedStaffRepository } from '../ports/checked-staff-repository.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * A {@link StaffRepository} over supabase-js: `queue.staff` through PostgREST, under the
 * client's JWT and row-level security. A page is one request however many rows it holds.
 *
 * @throws `UniqueViolationError` (core) when the id or the user is taken in the tenant;
 * {@link QueueSupabaseRequestError} when PostgREST refuses the request or cannot be reached.
 * @example
 * ```ts
 * import { supabaseStaffRepository } from '@carequeue/queue/supabase';
 *
 * const page = await supabaseStaffRepository({ client }).list(tenantId, { limit: 50 });
 * ```
 */
export function supabaseStaffRepository(options: SupabaseRepositoryOptions): StaffRepository {
  checkFactoryOptions('supabaseStaffRepository', SupabaseRepositoryOptionsSchema, options);
  const table = supabaseTable(options, STAFF_TABLE);
  return checkedStaffRepository({
    insert: (staff) => table.insert('staff.insert', staff),
    update: (staff) => table.update('staff.update', staff),
    get: (tenantId, id) => table.get('staff.get', tenantId, id),
    list: (tenantId, page) => table.page('staff.list', tenantId, {}, page),
  });
}
