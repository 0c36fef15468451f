import { type ServiceType } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { ServiceTypeRepository } from '../ports/service-type-repository.js';
import { StaleVersionError } from '../../errors.js';
import { decodeCursor, pageLimit, pageOf } from '../../pagination.js';
import { serviceTypeFromRow, type ServiceTypeRow } from '../../postgres/queue-rows.js';
import { checkedServiceTypeRepository } from '../ports/checked-service-type-repository.js';
import { checkFactoryOptions, SqlRepositoryOptionsSchema } from '../../config/factory-options.js';

const SELECT_SERVICE_TYPE = `
  SELECT id, tenant_id, clinic_id, name, duration_minutes, buffer_before_minutes,
         buffer_after_minutes, active, created_at, updated_at, version
  FROM queue.service_types`;

function columnsOf(serviceType: ServiceType): unknown[] {
  return [
    serviceType.id,
    serviceType.tenantId,
    serviceType.clinicId,
    serviceType.name,
    serviceType.durationMinutes,
    serviceType.bufferBeforeMinutes,
    serviceType.bufferAfterMinutes,
    serviceType.active,
    serviceType.createdAt,
    serviceType.updatedAt,
    serviceType.version,
  ];
}

/**
 * Options of {@link sqlServiceTypeRepository}.
 *
 * @example
 * ```ts
 * const options: SqlServiceTypeRepositoryOptions = { executor };
 * ```
 */
export interface SqlServiceTypeRepositoryOptions {
  /** The executor to run on: a pool, or a transaction running under the caller's claims. */
  readonly executor: SqlExecutor;
}

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
  const { executor } = options;
  return checkedServiceTypeRepository({
    async insert(serviceType) {
      await executor.query(
        `INSERT INTO queue.service_types (id, tenant_id, clinic_id, name, duration_minutes,
           buffer_before_minutes, buffer_after_minutes, active, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        columnsOf(serviceType),
      );
    },
    async update(serviceType) {
      const { rowCount } = await executor.query(
        `UPDATE queue.service_types SET clinic_id = $3, name = $4, duration_minutes = $5,
           buffer_before_minutes = $6, buffer_after_minutes = $7, active = $8, created_at = $9,
           updated_at = $10, version = $11
         WHERE id = $1 AND tenant_id = $2 AND version = $11 - 1`,
        columnsOf(serviceType),
      );
      if (rowCount !== 1) throw new StaleVersionError('service type');
    },
    async get(tenantId, id) {
      const { rows } = await executor.query<ServiceTypeRow<unknown>>(
        `${SELECT_SERVICE_TYPE} WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id],
      );
      return rows[0] === undefined ? undefined : serviceTypeFromRow(rows[0]);
    },
    async listByClinic(tenantId, clinicId, page) {
      const limit = pageLimit(page);
      const after = decodeCursor(page.cursor);
      const { rows } = await executor.query<ServiceTypeRow<unknown>>(
        `${SELECT_SERVICE_TYPE} WHERE tenant_id = $1 AND clinic_id = $2
           AND ($3::uuid IS NULL OR id > $3::uuid)
         ORDER BY id LIMIT $4`,
        [tenantId, clinicId, after ?? null, limit + 1],
      );
      return pageOf(rows.map(serviceTypeFromRow), limit);
    },
  });
}
