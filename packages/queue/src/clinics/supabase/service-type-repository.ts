import type { ServiceTypeRepository } from '../ports/service-type-repository.js';
import {
  SupabaseRepositoryOptionsSchema,
  type SupabaseRepositoryOptions,
} from '../../supabase/options.js';
import { SERVICE_TYPE_TABLE } from '../../postgres/queue-rows.js';
import { supabaseTable } from '../../supabase/table.js';
import { checkedServiceTypeRepository } from '../ports/checked-service-type-repository.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * A {@link ServiceTypeRepository} over supabase-js: `queue.service_types` through PostgREST,
 * under the client's JWT and row-level security.
 *
 * @throws the errors of core's `toSqlError` for database errors;
 * {@link QueueSupabaseRequestError} when PostgREST refuses the request or cannot be reached.
 * @example
 * ```ts
 * import { supabaseServiceTypeRepository } from '@carequeue/queue/supabase';
 *
 * const page = await supabaseServiceTypeRepository({ client }).listByClinic(tenantId, clinicId, {});
 * ```
 */
export function supabaseServiceTypeRepository(
  options: SupabaseRepositoryOptions,
): ServiceTypeRepository {
  checkFactoryOptions('supabaseServiceTypeRepository', SupabaseRepositoryOptionsSchema, options);
  const table = supabaseTable(options, SERVICE_TYPE_TABLE);
  return checkedServiceTypeRepository({
    insert: (serviceType) => table.insert('service_types.insert', serviceType),
    update: (serviceType) => table.update('service_types.update', serviceType),
    get: (tenantId, id) => table.get('service_types.get', tenantId, id),
    listByClinic: (tenantId, clinicId, page) =>
      table.page('service_types.list', tenantId, { clinic_id: clinicId }, page),
  });
}
