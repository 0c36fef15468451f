import { NotFoundError, type TenantId } from '@carequeue/core';

/**
 * A repository that reads one record of a tenant by its id.
 *
 * @internal
 * @example
 * ```ts
 * const reader: TenantRecordReader<ClinicId, StoredClinic> = scope.clinics;
 * ```
 */
export interface TenantRecordReader<Id, T> {
  get(tenantId: TenantId, id: Id): Promise<T | undefined>;
}

/**
 * The record `id` of `tenantId`, or a `NotFoundError` naming the kind of record (`what`), never
 * its contents: a service's writes and reads start from it.
 *
 * @internal
 * @example
 * ```ts
 * const clinic = await recordOrNotFound(scope.clinics, actor.tenantId, clinicId, 'clinic');
 * ```
 */
export async function recordOrNotFound<Id, T>(
  repository: TenantRecordReader<Id, T>,
  tenantId: TenantId,
  id: Id,
  what: string,
): Promise<T> {
  const found = await repository.get(tenantId, id);
  if (found === undefined) throw new NotFoundError(what);
  return found;
}
