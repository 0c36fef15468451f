import type { ServiceTypeRepository } from '../ports/service-type-repository.js';
import { sqlTenantTable } from '../../postgres/tenant-table.js';
import { SERVICE_TYPE_TABLE } from '../../postgres/queue-rows.js';
import { checkedServiceTypeRepository } from '../ports/checked-service-type-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

const serviceTypesTable = sqlTenantTable(SERVICE_TYPE_TABLE);

/**
 * Options of {@link sqlServiceTypeRepository}.
 *
 * @example
 * ```ts
 * const options: SqlServiceTypeRepositoryOptions = { executor };
 * ```
 */
export type SqlServiceTypeRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link ServiceTypeRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite).
 *
 * @example
 * ```ts
 * import { sqlServiceTypeRepository } from '@carequeue/queue/postgres';
 *
 * const page = await sqlServiceTypeRepository({ executor }).listByClinic(tenantId, clinicId, {});
 * ```
 */
export function sqlServiceTypeRepository(
  options: SqlServiceTypeRepositoryOptions,
): ServiceTypeRepository {
  checkFactoryOptions('sqlServiceTypeRepository', SqlRepositoryOptionsSchema, options);
  const serviceTypes = serviceTypesTable(options.executor);
  return checkedServiceTypeRepository({
    insert: serviceTypes.insert,
    update: serviceTypes.update,
    get: serviceTypes.get,
    listByClinic: (tenantId, clinicId, page) =>
      serviceTypes.page('tenant_id = $1 AND clinic_id = $2', [tenantId, clinicId], page),
  });
}
