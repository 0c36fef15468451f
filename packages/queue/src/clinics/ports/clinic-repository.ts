import type { Clinic, ClinicId, TenantId, WeeklyHours } from '@carequeue/core';
import type { Page, PageRequest } from '../../pagination.js';

/**
 * A clinic as it is stored: the model plus its weekly opening hours in the clinic's time zone.
 *
 * @example
 * ```ts
 * const clinic: StoredClinic = { ...model, openingHours: [{ day: 'monday', start: '08:00', end: '17:00', breaks: [] }] };
 * ```
 */
export type StoredClinic = Clinic & { readonly openingHours: readonly WeeklyHours[] };

/**
 * Storage port for clinics. Every read and write is scoped to one tenant.
 *
 * @example
 * ```ts
 * const repo: ClinicRepository = memoryClinicRepository();
 * await repo.insert(clinic);
 * const page = await repo.list(clinic.tenantId, { limit: 20 });
 * ```
 */
export interface ClinicRepository {
  /**
   * Stores a new clinic.
   *
   * @throws `UniqueViolationError` (from core) when the id is taken.
   */
  insert(clinic: StoredClinic): Promise<void>;
  /**
   * Replaces a clinic whose stored version is `clinic.version - 1`.
   *
   * @throws {@link StaleVersionError} when the stored version differs or the clinic is absent.
   */
  update(clinic: StoredClinic): Promise<void>;
  /** The clinic, or `undefined` when absent or in another tenant. */
  get(tenantId: TenantId, id: ClinicId): Promise<StoredClinic | undefined>;
  /** A page of the tenant's clinics in id order. */
  list(tenantId: TenantId, page: PageRequest): Promise<Page<StoredClinic>>;
}
