import { createAuditLogService, type AuditEvent } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { createCacheService, defaultNamespaces } from '@carequeue/cache';
import type { Actor, ClinicId } from '@carequeue/core';
import { asServiceRole, claimsForActor, withClaims, type SqlExecutor } from '@carequeue/core/sql';
import { sqlStaffRepository, sqlStaffUnitOfWork } from '../../src/postgres/index.js';
import {
  supabaseClinicRepository,
  supabaseScheduleRepository,
  supabaseStaffRepository,
} from '../../src/supabase/index.js';
import { createStaffService, type StaffUnitOfWork } from '../../src/index.js';
import { clockAndEncryptor } from '../memory-service-fixture.js';
import { seedClinicOf, seedTenant } from './service-fixtures.js';
import type { StaffOwnerWorld } from './staff-owner-scenarios.js';
import { jwt, supabaseClient } from './supabase-postgrest.js';

async function sqlWorld(
  executor: SqlExecutor,
  unitOfWork: StaffUnitOfWork,
  repositoryAs: StaffOwnerWorld['repositoryAs'],
): Promise<StaffOwnerWorld> {
  const tenantId = await seedTenant(executor);
  const { clock, encryptor } = clockAndEncryptor();
  return {
    tenantId,
    clinicOne: await seedClinicOf(executor, tenantId),
    clinicTwo: await seedClinicOf(executor, tenantId),
    service: createStaffService({
      unitOfWork,
      audit: createAuditLogService({ store: postgresAuditStore({ executor }), encryptor, clock }),
      cache: createCacheService({ namespaces: defaultNamespaces, encryptor, clock }),
      clock,
    }),
    stored: (id) =>
      asServiceRole(executor, (tx) => sqlStaffRepository({ executor: tx }).get(tenantId, id)),
    repositoryAs,
  };
}

/** The staff service over the SQL unit of work; the bypass is the SQL repository under claims. */
export function sqlStaffOwnerWorld(executor: SqlExecutor): Promise<StaffOwnerWorld> {
  return sqlWorld(executor, sqlStaffUnitOfWork({ executor }), (actor) => ({
    update: (staff) =>
      withClaims(executor, claimsForActor(actor), (tx) =>
        sqlStaffRepository({ executor: tx }).update(staff),
      ),
  }));
}

function clientOf(actor: Actor) {
  return supabaseClient(jwt({ ...claimsForActor(actor) }));
}

/**
 * A staff unit of work over the Supabase repositories under the actor's JWT. The package has no
 * Supabase staff unit of work, so each request is its own transaction and audit events are kept
 * in memory: enough to show what the service and the database behind PostgREST let through.
 */
function supabaseStaffUnitOfWork(): StaffUnitOfWork {
  return {
    run(actor, work) {
      const client = clientOf(actor);
      const clinics = supabaseClinicRepository({ client });
      const events: AuditEvent[] = [];
      return work({
        staff: supabaseStaffRepository({ client }),
        schedules: supabaseScheduleRepository({ client }),
        clinicsInTenant: async (tenantId, clinicIds) => {
          const found: ClinicId[] = [];
          for (const clinicId of clinicIds) {
            if ((await clinics.get(tenantId, clinicId)) !== undefined) found.push(clinicId);
          }
          return found;
        },
        recordAudit: (event) => {
          events.push(event);
          return Promise.resolve();
        },
      });
    },
  };
}

/** The staff service over the Supabase repositories (PostgREST stand-in answering from `executor`). */
export function supabaseStaffOwnerWorld(executor: SqlExecutor): Promise<StaffOwnerWorld> {
  return sqlWorld(executor, supabaseStaffUnitOfWork(), (actor) => ({
    update: (staff) => supabaseStaffRepository({ client: clientOf(actor) }).update(staff),
  }));
}
