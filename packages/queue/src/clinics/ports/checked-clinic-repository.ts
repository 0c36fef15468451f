import { z } from 'zod';
import { Clinic, ClinicId, WeeklyHours } from '@carequeue/core';
import { checkedPort, recordArguments, tenantPageArguments } from '../../arguments/checked-port.js';
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
    ...recordArguments('clinic', StoredClinicRow, ClinicId),
    list: tenantPageArguments,
  });
}
