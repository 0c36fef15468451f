import { ClinicId, type TenantId } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';

/**
 * Which of `clinicIds` are clinics of the tenant, in one statement. Under the caller's claims,
 * row-level security hides other tenants' clinics, and the tenant filter holds without it.
 *
 * @example
 * ```ts
 * const known = await sqlClinicsInTenant(tx, tenantId, [clinicId]);
 * ```
 */
export async function sqlClinicsInTenant(
  executor: SqlExecutor,
  tenantId: TenantId,
  clinicIds: readonly ClinicId[],
): Promise<readonly ClinicId[]> {
  if (clinicIds.length === 0) return [];
  const { rows } = await executor.query<{ id: string }>(
    'SELECT id::text AS id FROM queue.clinics WHERE tenant_id = $1 AND id = ANY ($2::uuid[])',
    [tenantId, clinicIds],
  );
  return rows.map((row) => ClinicId.parse(row.id));
}
