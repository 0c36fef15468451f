import type { ServiceType } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { trackRows } from '../../memory/snapshot.js';
import { memoryTenantRows } from '../../memory/tenant-rows.js';
import type { ServiceTypeRepository } from '../ports/service-type-repository.js';
import { checkedServiceTypeRepository } from '../ports/checked-service-type-repository.js';

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
  const { update, get, page } = memoryTenantRows(rows, 'service type');

  const repo = checkedServiceTypeRepository({
    insert(serviceType) {
      if (rows.has(serviceType.id)) {
        return Promise.reject(new UniqueViolationError('service_types_pkey'));
      }
      rows.set(serviceType.id, structuredClone(serviceType));
      return Promise.resolve();
    },
    update,
    get,
    listByClinic: (tenantId, clinicId, request) =>
      page(
        () =>
          [...rows.values()].filter(
            (row) => row.tenantId === tenantId && row.clinicId === clinicId,
          ),
        request,
      ),
  });
  return trackRows(repo, rows);
}
