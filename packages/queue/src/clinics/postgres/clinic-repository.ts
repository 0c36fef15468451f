import type { ClinicRepository } from '../ports/clinic-repository.js';
import { sqlTenantTable } from '../../postgres/tenant-table.js';
import { CLINIC_TABLE } from '../../postgres/queue-rows.js';
import { checkedClinicRepository } from '../ports/checked-clinic-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

const clinicsTable = sqlTenantTable(CLINIC_TABLE);

/**
 * Options of {@link sqlClinicRepository}.
 *
 * @example
 * ```ts
 * const options: SqlClinicRepositoryOptions = { executor };
 * ```
 */
export type SqlClinicRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link ClinicRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite).
 *
 * @example
 * ```ts
 * import { sqlClinicRepository } from '@carequeue/queue/postgres';
 *
 * const page = await sqlClinicRepository({ executor }).list(tenantId, { limit: 50 });
 * ```
 */
export function sqlClinicRepository(options: SqlClinicRepositoryOptions): ClinicRepository {
  checkFactoryOptions('sqlClinicRepository', SqlRepositoryOptionsSchema, options);
  const clinics = clinicsTable(options.executor);
  return checkedClinicRepository({
    insert: clinics.insert,
    update: clinics.update,
    get: clinics.get,
    list: (tenantId, page) => clinics.page('tenant_id = $1', [tenantId], page),
  });
}
