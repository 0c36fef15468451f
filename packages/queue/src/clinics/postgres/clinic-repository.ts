import type { SqlExecutor } from '@carequeue/core/sql';
import type { ClinicRepository, StoredClinic } from '../ports/clinic-repository.js';
import { StaleVersionError } from '../../errors.js';
import { decodeCursor, pageLimit, pageOf } from '../../pagination.js';
import { clinicFromRow, type ClinicRow } from '../../postgres/queue-rows.js';
import { checkedClinicRepository } from '../ports/checked-clinic-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';

const SELECT_CLINIC = `
  SELECT id, tenant_id, name, time_zone, address, settings, opening_hours, created_at,
         updated_at, version
  FROM queue.clinics`;

function columnsOf(clinic: StoredClinic): unknown[] {
  return [
    clinic.id,
    clinic.tenantId,
    clinic.name,
    clinic.timeZone,
    clinic.address === undefined ? null : JSON.stringify(clinic.address),
    JSON.stringify(clinic.settings),
    JSON.stringify(clinic.openingHours),
    clinic.createdAt,
    clinic.updatedAt,
    clinic.version,
  ];
}

/**
 * Options of {@link sqlClinicRepository}.
 *
 * @example
 * ```ts
 * const options: SqlClinicRepositoryOptions = { executor };
 * ```
 */
export interface SqlClinicRepositoryOptions {
  /** The executor to run on: a pool, or a transaction running under the caller's claims. */
  readonly executor: SqlExecutor;
}

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
  const { executor } = options;
  return checkedClinicRepository({
    async insert(clinic) {
      await executor.query(
        `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, address, settings,
           opening_hours, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        columnsOf(clinic),
      );
    },
    async update(clinic) {
      const { rowCount } = await executor.query(
        `UPDATE queue.clinics SET name = $3, time_zone = $4, address = $5, settings = $6,
           opening_hours = $7, created_at = $8, updated_at = $9, version = $10
         WHERE id = $1 AND tenant_id = $2 AND version = $10 - 1`,
        columnsOf(clinic),
      );
      if (rowCount !== 1) throw new StaleVersionError('clinic');
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<ClinicRow<unknown>>(
        `${SELECT_CLINIC} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : clinicFromRow(rows[0]);
    },
    async list(tenantId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      const { rows } = await executor.query<ClinicRow<unknown>>(
        `${SELECT_CLINIC} WHERE tenant_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
         ORDER BY id LIMIT $3`,
        [tenantId, after ?? null, limit + 1],
      );
      return pageOf(rows.map(clinicFromRow), limit);
    },
  });
}
