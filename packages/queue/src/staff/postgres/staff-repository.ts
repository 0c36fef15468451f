import { type Staff } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { StaleVersionError } from '../../errors.js';
import { decodeCursor, pageLimit, pageOf } from '../../pagination.js';
import type { StaffRepository } from '../ports/staff-repository.js';
import { staffFromRow, type StaffRow } from '../../postgres/queue-rows.js';
import { checkedStaffRepository } from '../ports/checked-staff-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';

const SELECT_STAFF = `
  SELECT id, tenant_id, user_id, display_name, email, roles, clinic_ids::text[] AS clinic_ids,
         active, created_at, updated_at, version
  FROM queue.staff`;

function columnsOf(staff: Staff): unknown[] {
  return [
    staff.id,
    staff.tenantId,
    staff.userId ?? null,
    staff.displayName,
    staff.email,
    staff.roles,
    staff.clinicIds,
    staff.active,
    staff.createdAt,
    staff.updatedAt,
    staff.version,
  ];
}

/**
 * Options of {@link sqlStaffRepository}.
 *
 * @example
 * ```ts
 * const options: SqlStaffRepositoryOptions = { executor };
 * ```
 */
export interface SqlStaffRepositoryOptions {
  /** The executor to run on: a pool, or a transaction running under the caller's claims. */
  readonly executor: SqlExecutor;
}

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
  const { executor } = options;
  return checkedStaffRepository({
    async insert(staff) {
      await executor.query(
        `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids,
           active, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        columnsOf(staff),
      );
    },
    async update(staff) {
      const { rowCount } = await executor.query(
        `UPDATE queue.staff SET user_id = $3, display_name = $4, email = $5, roles = $6,
           clinic_ids = $7, active = $8, created_at = $9, updated_at = $10, version = $11
         WHERE id = $1 AND tenant_id = $2 AND version = $11 - 1`,
        columnsOf(staff),
      );
      if (rowCount !== 1) throw new StaleVersionError('staff member');
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<StaffRow<unknown>>(
        `${SELECT_STAFF} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : staffFromRow(rows[0]);
    },
    async list(tenantId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      const { rows } = await executor.query<StaffRow<unknown>>(
        `${SELECT_STAFF} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
         ORDER BY id LIMIT $3`,
        [tenantId, after ?? null, limit + 1],
      );
      return pageOf(rows.map(staffFromRow), limit);
    },
  });
}
