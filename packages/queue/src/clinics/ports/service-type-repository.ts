import type { ClinicId, ServiceType, ServiceTypeId, TenantId } from '@carequeue/core';
import type { Page, PageRequest } from '../../pagination.js';

/**
 * Storage port for the service types a clinic offers. Every read and write is scoped to one tenant.
 *
 * @example
 * ```ts
 * const repo: ServiceTypeRepository = memoryServiceTypeRepository();
 * await repo.insert(serviceType);
 * const page = await repo.listByClinic(serviceType.tenantId, serviceType.clinicId, { limit: 20 });
 * ```
 */
export interface ServiceTypeRepository {
  /**
   * Stores a new service type.
   *
   * @throws `UniqueViolationError` (from core) when the id is taken.
   */
  insert(serviceType: ServiceType): Promise<void>;
  /**
   * Replaces a service type whose stored version is `serviceType.version - 1`.
   *
   * @throws {@link StaleVersionError} when the stored version differs or the type is absent.
   */
  update(serviceType: ServiceType): Promise<void>;
  /** The service type, or `undefined` when absent or in another tenant. */
  get(tenantId: TenantId, id: ServiceTypeId): Promise<ServiceType | undefined>;
  /** A page of the clinic's service types in id order. */
  listByClinic(
    tenantId: TenantId,
    clinicId: ClinicId,
    page: PageRequest,
  ): Promise<Page<ServiceType>>;
}
