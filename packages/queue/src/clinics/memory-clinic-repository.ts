import type { TenantId } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import { paginate } from '../pagination.js';
import type { ClinicRepository, StoredClinic } from './clinic-repository.js';

/**
 * An in-memory {@link ClinicRepository} with the same tenant rules as the SQL one.
 *
 * @example
 * ```ts
 * import { memoryClinicRepository } from '@carequeue/queue';
 *
 * const repo = memoryClinicRepository();
 * await repo.insert(clinic);
 * ```
 */
export function memoryClinicRepository(): ClinicRepository {
  const rows = new Map<string, StoredClinic>();
  const ofTenant = (tenantId: TenantId): StoredClinic[] =>
    [...rows.values()].filter((row) => row.tenantId === tenantId);

  return {
    insert(clinic) {
      if (rows.has(clinic.id)) return Promise.reject(new UniqueViolationError('clinics_pkey'));
      rows.set(clinic.id, structuredClone(clinic));
      return Promise.resolve();
    },
    update(clinic) {
      const current = rows.get(clinic.id);
      if (current?.tenantId !== clinic.tenantId || current.version !== clinic.version - 1) {
        return Promise.reject(new StaleVersionError('clinic'));
      }
      rows.set(clinic.id, structuredClone(clinic));
      return Promise.resolve();
    },
    get(tenantId, id) {
      const row = rows.get(id);
      return Promise.resolve(row?.tenantId === tenantId ? structuredClone(row) : undefined);
    },
    list(tenantId, page) {
      // Deferred so that an unreadable cursor rejects instead of throwing synchronously.
      return Promise.resolve().then(() => {
        const result = paginate(ofTenant(tenantId), page);
        return { ...result, items: result.items.map((row) => structuredClone(row)) };
      });
    },
  };
}
