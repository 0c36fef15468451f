import { ClinicId, ServiceType, ServiceTypeId, TenantId } from '@carequeue/core';
import { checkedPort, recordArguments } from '../../arguments/checked-port.js';
import { PageRequestArgument } from '../../arguments/common-arguments.js';
import type { ServiceTypeRepository } from './service-type-repository.js';

/**
 * `repository` refusing, with a `ValidationError` and before it runs, ids that are not UUIDs and
 * rows that core's `ServiceType` schema refuses. Every service type adapter wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedServiceTypeRepository({ insert, update, get, listByClinic });
 * ```
 */
export function checkedServiceTypeRepository(
  repository: ServiceTypeRepository,
): ServiceTypeRepository {
  return checkedPort('ServiceTypeRepository', repository, {
    ...recordArguments('serviceType', ServiceType, ServiceTypeId),
    listByClinic: [
      ['tenantId', TenantId],
      ['clinicId', ClinicId],
      ['page', PageRequestArgument],
    ],
  });
}
