import { Staff, StaffId } from '@carequeue/core';
import { checkedPort, recordArguments, tenantPageArguments } from '../../arguments/checked-port.js';
import type { StaffRepository } from './staff-repository.js';

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs and
 * rows that core's `Staff` schema refuses. Every staff adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedStaffRepository({ insert, update, get, list });
 * ```
 */
export function checkedStaffRepository(repository: StaffRepository): StaffRepository {
  return checkedPort('StaffRepository', repository, {
    ...recordArguments('staff', Staff, StaffId),
    list: tenantPageArguments,
  });
}
