import type { Staff } from '@carequeue/core';
import { UniqueViolationError } from '@carequeue/core/sql';
import { memoryTenantRows } from '../../memory/tenant-rows.js';
import { trackRows } from '../../memory/snapshot.js';
import type { StaffRepository } from '../ports/staff-repository.js';
import { checkedStaffRepository } from '../ports/checked-staff-repository.js';
import { StaffAccountBoundError } from '../staff-errors.js';

/**
 * An in-memory {@link StaffRepository} with the same tenant rules as the SQL one, and its rule
 * that a member's `userId` never changes once set ({@link StaffAccountBoundError}).
 *
 * @example
 * ```ts
 * const repo = memoryStaffRepository();
 * await repo.insert(staff);
 * ```
 */
export function memoryStaffRepository(): StaffRepository {
  const rows = new Map<string, Staff>();
  const { ofTenant, update, get, page } = memoryTenantRows(rows, 'staff member');

  return trackRows<StaffRepository>(
    checkedStaffRepository({
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
        const stored = rows.get(staff.id);
        const rebinds =
          stored?.tenantId === staff.tenantId &&
          stored.version === staff.version - 1 &&
          stored.userId !== undefined &&
          staff.userId !== stored.userId;
        return rebinds ? Promise.reject(new StaffAccountBoundError()) : update(staff);
      },
      get,
      list: (tenantId, request) => page(() => ofTenant(tenantId), request),
    }),
    rows,
  );
}
