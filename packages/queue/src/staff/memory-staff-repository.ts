import type { Staff, TenantId } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { StaleVersionError } from '../errors.js';
import { paginate } from '../pagination.js';
import { trackRows } from './memory-snapshot.js';
import type { StaffRepository } from './staff-repository.js';

/**
 * An in-memory {@link StaffRepository} with the same tenant rules as the SQL one.
 *
 * @example
 * ```ts
 * const repo = memoryStaffRepository();
 * await repo.insert(staff);
 * ```
 */
export function memoryStaffRepository(): StaffRepository {
  const rows = new Map<string, Staff>();
  const ofTenant = (tenantId: TenantId): Staff[] =>
    [...rows.values()].filter((row) => row.tenantId === tenantId);

  return trackRows<StaffRepository>(
    {
      insert(staff) {
        const userTaken =
          staff.userId !== undefined &&
          ofTenant(staff.tenantId).some((row) => row.userId === staff.userId);
        if (rows.has(staff.id) || userTaken) {
          return Promise.reject(new UniqueViolationError('staff_unique'));
        }
        rows.set(staff.id, structuredClone(staff));
        return Promise.resolve();
      },
      update(staff) {
        const current = rows.get(staff.id);
        if (current?.tenantId !== staff.tenantId || current.version !== staff.version - 1) {
          return Promise.reject(new StaleVersionError('staff member'));
        }
        rows.set(staff.id, structuredClone(staff));
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
    },
    rows,
  );
}
