import { UniqueViolationError } from '@carequeue/core/sql';
import type { ClinicRepository, StoredClinic } from '../ports/clinic-repository.js';
import { trackRows } from '../../memory/snapshot.js';
import { memoryTenantRows } from '../../memory/tenant-rows.js';
import { checkedClinicRepository } from '../ports/checked-clinic-repository.js';

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
  const { ofTenant, update, get, page } = memoryTenantRows(rows, 'clinic');

  const repo = checkedClinicRepository({
    insert(clinic) {
      if (rows.has(clinic.id)) return Promise.reject(new UniqueViolationError('clinics_pkey'));
      rows.set(clinic.id, structuredClone(clinic));
      return Promise.resolve();
    },
    update,
    get,
    list: (tenantId, request) => page(() => ofTenant(tenantId), request),
  });
  return trackRows(repo, rows);
}
