import type { Staff, StaffId, TenantId } from '@carequeue/core';
import type { Page, PageRequest } from '../../pagination.js';

/**
 * Storage port for staff members. Every read and write is scoped to one tenant.
 *
 * @example
 * ```ts
 * const repo: StaffRepository = memoryStaffRepository();
 * await repo.insert(staff);
 * const page = await repo.list(staff.tenantId, { limit: 20 });
 * ```
 */
export interface StaffRepository {
  /**
   * Stores a new staff member.
   *
   * @throws `UniqueViolationError` (from core) when the id or the user is taken in the tenant.
   */
  insert(staff: Staff): Promise<void>;
  /**
   * Replaces a staff member whose stored version is `staff.version - 1`. A member's `userId`
   * never changes once set: the memory repository refuses with `StaffAccountBoundError`, the SQL
   * and Supabase ones are refused by the database (migration 0013).
   *
   * @throws {@link StaleVersionError} when the stored version differs or the member is absent.
   */
  update(staff: Staff): Promise<void>;
  /** The staff member, or `undefined` when absent or in another tenant. */
  get(tenantId: TenantId, id: StaffId): Promise<Staff | undefined>;
  /** A page of the tenant's staff in id order. */
  list(tenantId: TenantId, page: PageRequest): Promise<Page<Staff>>;
}
