import type { ClinicRepository } from '../ports/clinic-repository.js';
import {
  SupabaseRepositoryOptionsSchema,
  type SupabaseRepositoryOptions,
} from '../../supabase/options.js';
import { CLINIC_TABLE } from '../../postgres/queue-rows.js';
import { supabaseTable } from '../../supabase/table.js';
import { checkedClinicRepository } from '../ports/checked-clinic-repository.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * A {@link ClinicRepository} over supabase-js: `queue.clinics` through PostgREST, under the
 * client's JWT and row-level security.
 *
 * @throws `UniqueViolationError` and the other errors of core's `toSqlError` for database errors;
 * {@link QueueSupabaseRequestError} when PostgREST refuses the request or cannot be reached.
 * @example
 * ```ts
 * import { createClient } from '@supabase/supabase-js';
 * import { supabaseClinicRepository } from '@carequeue/queue/supabase';
 *
 * const clinics = supabaseClinicRepository({ client: createClient(url, key) });
 * const page = await clinics.list(tenantId, { limit: 50 });
 * ```
 */
export function supabaseClinicRepository(options: SupabaseRepositoryOptions): ClinicRepository {
  checkFactoryOptions('supabaseClinicRepository', SupabaseRepositoryOptionsSchema, options);
  const table = supabaseTable(options, CLINIC_TABLE);
  return checkedClinicRepository({
    insert: (clinic) => table.insert('clinics.insert', clinic),
    update: (clinic) => table.update('clinics.update', clinic),
    get: (tenantId, id) => table.get('clinics.get', tenantId, id),
    list: (tenantId, page) => table.page('clinics.list', tenantId, {}, page),
  });
}
