import { createAuditLogService, type AuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createCacheService, defaultNamespaces, type CacheService } from '@carequeue/cache';
import { ClinicId, PatientId, TenantId, uuidv7, type Actor, type FakeClock } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import { asServiceRole, createPgliteExecutor, type SqlExecutor } from '@carequeue/core/sql';
import type { PGlite } from '@electric-sql/pglite';
import type { ContractFixtures } from '../../src/testing/index.js';
import { clockAndEncryptor, staffActorOf } from '../memory-service-fixture.js';

/** What every service test on PGlite wires a service from. */
export interface ServiceDependencies {
  readonly executor: SqlExecutor;
  readonly clock: FakeClock;
  readonly encryptor: FieldEncryptor;
  readonly audit: AuditLogService;
  readonly cache: CacheService;
}

/** Fresh keys, a fake clock, the Postgres audit store and an in-process cache over `db`. */
export function serviceDependencies(db: PGlite): ServiceDependencies {
  const executor = createPgliteExecutor(db);
  const { clock, encryptor } = clockAndEncryptor();
  return {
    executor,
    clock,
    encryptor,
    audit: createAuditLogService({ store: postgresAuditStore({ executor }), encryptor, clock }),
    cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
  };
}

/** Inserts a tenant as the service role. */
export async function seedTenant(executor: SqlExecutor): Promise<TenantId> {
  const tenantId = TenantId.parse(uuidv7());
  await asServiceRole(executor, (tx) =>
    tx.query("INSERT INTO queue.tenants (tenant_id, name, created_at) VALUES ($1, 'T', now())", [
      tenantId,
    ]),
  );
  return tenantId;
}

/** Inserts a clinic of `tenantId` as the service role. */
export async function seedClinicOf(executor: SqlExecutor, tenantId: TenantId): Promise<ClinicId> {
  const clinicId = ClinicId.parse(uuidv7());
  await asServiceRole(executor, (tx) =>
    tx.query(
      `INSERT INTO queue.clinics (id, tenant_id, name, time_zone, settings, created_at, updated_at, version)
       VALUES ($1, $2, 'Clinic', 'UTC', '{}', now(), now(), 0)`,
      [clinicId, tenantId],
    ),
  );
  return clinicId;
}

/** Inserts a patient of `tenantId`, registered at no clinic, as the service role. */
export async function seedPatientOf(executor: SqlExecutor, tenantId: TenantId): Promise<PatientId> {
  const patientId = PatientId.parse(uuidv7());
  await asServiceRole(executor, (tx) =>
    tx.query(
      `INSERT INTO queue.patients (id, tenant_id, given_name, family_name, date_of_birth,
         preferred_channel, consent, created_at, updated_at, version)
       VALUES ($1, $2, 'Given', 'Family', '1980-01-01', 'sms',
         '{"sms": true, "email": true, "dataProcessing": true, "recordedAt": "2026-03-02T09:00:00.000Z"}',
         now(), now(), 0)`,
      [patientId, tenantId],
    ),
  );
  return patientId;
}

/** Inserts a tenant with one clinic as the service role. */
export async function seedClinic(
  executor: SqlExecutor,
): Promise<{ tenantId: TenantId; clinicId: ClinicId }> {
  const tenantId = await seedTenant(executor);
  return { tenantId, clinicId: await seedClinicOf(executor, tenantId) };
}

/** Repository contract fixtures that insert real tenants and clinics through `executor`. */
export function sqlContractFixtures(executor: () => SqlExecutor): ContractFixtures {
  return {
    tenant: () => seedTenant(executor()),
    clinic: (tenantId) => seedClinicOf(executor(), tenantId),
  };
}

/** A staff actor at aal2; `admin` by default, scoped to `clinicIds` when given. */
export function staffActor(
  tenantId: TenantId,
  roles: Actor['roles'] = ['admin'],
  clinicIds?: ClinicId[],
): Actor {
  return staffActorOf(tenantId, roles, clinicIds === undefined ? {} : { clinicIds });
}

/**
 * The `resource_type:action` of every audit event about `resourceId`, in the order they were
 * recorded (event ids are UUIDv7s drawn in order). Not by timestamp: an end user's append is
 * stamped by the SQL clock and a trusted caller's by the service's fake clock, so the two
 * disagree in tests.
 */
export function auditedActions(executor: SqlExecutor, resourceId: string): Promise<string[]> {
  return asServiceRole(executor, async (tx) => {
    const { rows } = await tx.query<{ action: string; resource_type: string }>(
      'SELECT action, resource_type FROM audit.events WHERE resource_id = $1 ORDER BY id',
      [resourceId],
    );
    return rows.map((row) => `${row.resource_type}:${row.action}`);
  });
}
