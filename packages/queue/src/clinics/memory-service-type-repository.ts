import type { ServiceType } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import { paginate } from '../pagination.js';
import type { ServiceTypeRepository } from './service-type-repository.js';

/**
 * An in-memory {@link ServiceTypeRepository} with the same tenant rules as the SQL one.
 *
 * @example
 * ```ts
 * import { memoryServiceTypeRepository } from '@carequeue/queue';
 *
 * const repo = memoryServiceTypeRepository();
 * await repo.insert(serviceType);
 * ```
 */
export function memoryServiceTypeRepository(): ServiceTypeRepository {
  const rows = new Map<string, ServiceType>();

  return {
    insert(serviceType) {
      if (rows.has(serviceType.id)) {
        return Promise.reject(new UniqueViolationError('service_types_pkey'));
      }
      rows.set(serviceType.id, structuredClone(serviceType));
      return Promise.resolve();
    },
    update(serviceType) {
      const current = rows.get(serviceType.id);
      if (
        current?.tenantId !== serviceType.tenantId ||
        current.version !== serviceType.version - 1
      ) {
        return Promise.reject(new StaleVersionError('service type'));
      }
      rows.set(serviceType.id, structuredClone(serviceType));
      return Promise.resolve();
    },
    get(tenantId, id) {
      const row = rows.get(id);
      return Promise.resolve(row?.tenantId === tenantId ? structuredClone(row) : undefined);
    },
    listByClinic(tenantId, clinicId, page) {
      // Deferred so that an unreadable cursor rejects instead of throwing synchronously.
      return Promise.resolve().then(() => {
        const ofClinic = [...rows.values()].filter(
          (row) => row.tenantId === tenantId && row.clinicId === clinicId,
        );
        const result = paginate(ofClinic, page);
        return { ...result, items: result.items.map((row) => structuredClone(row)) };
      });
    },
  };
}
