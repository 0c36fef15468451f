import { sqlTenantTable } from '../../postgres/tenant-table.js';
import type { StaffRepository } from '../ports/staff-repository.js';
import { STAFF_TABLE } from '../../postgres/queue-rows.js';
import { checkedStaffRepository } from '../ports/checked-staff-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';
import type { SqlRepositoryOptions } from '../../postgres/sql-adapter-options.js';

const staffTable = sqlTenantTable(STAFF_TABLE);

/**
 * Options of {@link sqlStaffRepository}.
 *
 * @example
 * ```ts
 * const options: SqlStaffRepositoryOptions = { executor };
 * ```
 */
export type SqlStaffRepositoryOptions = SqlRepositoryOptions;

/**
 * A {@link StaffRepository} over core's `SqlExecutor` (Postgres 15+, Supabase, PGlite).
 *
 * @example
 * ```ts
 * import { sqlStaffRepository } from '@carequeue/queue/postgres';
 *
 * const page = await sqlStaffRepository({ executor }).list(tenantId, { limit: 50 });
 * ```
 */
export function sqlStaffRepository(options: SqlStaffRepositoryOptions): StaffRepository {
  checkFactoryOptions('sqlStaffRepository', SqlRepositoryOptionsSchema, options);
  const staff = staffTable(options.executor);
  return checkedStaffRepository({
    insert: staff.insert,
    update: staff.update,
    get: staff.get,
    list: (tenantId, page) => staff.page('tenant_id = $1', [tenantId], page),
  });
}
