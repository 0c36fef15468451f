import type { ClinicId, TenantId } from '@carequeue/core';
import type { AuditEvent, AuditStore } from '@carequeue/audit';
import type { ClinicRepository } from '../clinics/index.js';

/**
 * Runs `work` with a `recordAudit` that buffers its events, and appends them to `auditStore` in
 * one call only once `work` resolves: a unit that fails leaves no audit event behind, as a
 * rolled-back transaction.
 *
 * @example
 * ```ts
 * await withBufferedAudit(auditStore, async (recordAudit) => {
 *   await patients.insert(patient);
 *   await recordAudit(event);
 * });
 * ```
 */
export async function withBufferedAudit<T>(
  auditStore: AuditStore,
  work: (recordAudit: (event: AuditEvent) => Promise<void>) => Promise<T>,
): Promise<T> {
  const events: AuditEvent[] = [];
  const result = await work((event) => {
    events.push(event);
    return Promise.resolve();
  });
  if (events.length > 0) await auditStore.append(events);
  return result;
}

/**
 * The `clinicsInTenant` of a memory unit of work: which of `clinicIds` are clinics of the tenant
 * in `clinics`. Clinics of other tenants are left out exactly like ids that do not exist.
 *
 * @example
 * ```ts
 * const inTenant = memoryClinicsInTenant(clinics);
 * await inTenant(tenantId, [clinicId, otherTenantsClinicId]); // [clinicId]
 * ```
 */
export function memoryClinicsInTenant(
  clinics: ClinicRepository,
): (tenantId: TenantId, clinicIds: readonly ClinicId[]) => Promise<readonly ClinicId[]> {
  return async (tenantId, clinicIds) => {
    const found = await Promise.all(clinicIds.map((id) => clinics.get(tenantId, id)));
    return found.flatMap((clinic) => (clinic === undefined ? [] : [clinic.id]));
  };
}
