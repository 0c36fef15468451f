import { z } from 'zod';
import { Clinic, ClinicId, TenantId, WeeklyHours } from '@carequeue/core';
import { checkedPort } from '../../arguments/checked-port.js';
import { PageRequestArgument } from '../../arguments/common-arguments.js';
import type { ClinicRepository } from './clinic-repository.js';

const StoredClinicRow = Clinic.extend({ openingHours: z.array(WeeklyHours) });

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs and
 * rows that core's `Clinic` schema refuses. Every clinic adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedClinicRepository({ insert, update, get, list });
 * ```
 */
export function checkedClinicRepository(repository: ClinicRepository): ClinicRepository {
  return checkedPort('ClinicRepository', repository, {
    insert: [['clinic', StoredClinicRow]],
    update: [['clinic', StoredClinicRow]],
    get: [
      ['tenantId', TenantId],
      ['id', ClinicId],
    ],
    list: [
      ['tenantId', TenantId],
      ['page', PageRequestArgument],
    ],
  });
}
