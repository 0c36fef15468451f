import { StaffId, uuidv7, type ClinicId, type TenantId } from '@carequeue/core';
import { asServiceRole, type SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import {
  supabaseClinicRepository,
  supabaseInvitationRepository,
  supabasePatientRepository,
  supabaseScheduleRepository,
  supabaseServiceTypeRepository,
  supabaseStaffRepository,
} from '../../src/supabase/index.js';
import {
  runClinicRepositoryContract,
  runInvitationRepositoryContract,
  runPatientRepositoryContract,
  runScheduleRepositoryContract,
  runServiceTypeRepositoryContract,
  runStaffRepositoryContract,
  samplePatient,
  sampleStaff,
} from '../../src/testing/index.js';
import { sqlContractFixtures } from './service-fixtures.js';
import { supabaseClient, type StandIn } from './supabase-postgrest.js';

/** Inserts a staff member of the tenant as the service role. */
export async function seedStaff(
  executor: SqlExecutor,
  tenantId: TenantId,
  clinicIds: readonly ClinicId[],
): Promise<StaffId> {
  const staffId = StaffId.parse(uuidv7());
  await asServiceRole(executor, (tx) =>
    tx.query(
      `INSERT INTO queue.staff (id, tenant_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
       VALUES ($1, $2, 'Dr. Example', 'doctor@example.org', '{clinician}', $3, now(), now(), 0)`,
      [staffId, tenantId, clinicIds],
    ),
  );
  return staffId;
}

/**
 * The repository contract suites against the Supabase repositories, with msw answering in
 * PostgREST's wire format from the database `executor()` returns, as the service role.
 */
export function supabaseRepositoryScenarios(executor: () => SqlExecutor, standIn: StandIn): void {
  const fixtures = sqlContractFixtures(executor);
  const options = () => ({ client: supabaseClient() });
  const runner = { describe, it, expect };

  runClinicRepositoryContract(runner, {
    name: 'supabase',
    create: () => supabaseClinicRepository(options()),
    fixtures,
  });
  runServiceTypeRepositoryContract(runner, {
    name: 'supabase',
    create: () => supabaseServiceTypeRepository(options()),
    fixtures,
  });
  runStaffRepositoryContract(runner, {
    name: 'supabase',
    create: () => supabaseStaffRepository(options()),
    fixtures,
  });
  runPatientRepositoryContract(runner, {
    name: 'supabase',
    create: () => supabasePatientRepository(options()),
    fixtures,
  });
  runScheduleRepositoryContract(runner, {
    name: 'supabase',
    create: () => supabaseScheduleRepository(options()),
    fixtures: {
      ...fixtures,
      staff: (tenantId, clinicIds) => seedStaff(executor(), tenantId, clinicIds),
    },
  });
  runInvitationRepositoryContract(runner, {
    name: 'supabase',
    create: () => supabaseInvitationRepository(options()),
    fixtures,
  });

  describe('Supabase requests', () => {
    it('sends one request for a page of 10 or of 500 patients or staff', async () => {
      const counts: number[] = [];
      for (const size of [10, 500]) {
        const tenantId = await fixtures.tenant();
        const clinicId = await fixtures.clinic(tenantId);
        const patients = supabasePatientRepository(options());
        const staff = supabaseStaffRepository(options());
        await asServiceRole(executor(), async (tx) => {
          for (let index = 0; index < size; index += 1) {
            const patient = samplePatient(tenantId, [clinicId]);
            const member = sampleStaff(tenantId, [clinicId]);
            await tx.query(
              `INSERT INTO queue.patients (id, tenant_id, given_name, family_name, date_of_birth, preferred_channel, consent, created_at, updated_at, version)
               VALUES ($1, $2, $3, $4, $5, 'sms', '{}', now(), now(), 0)`,
              [patient.id, tenantId, patient.givenName, patient.familyName, patient.dateOfBirth],
            );
            await tx.query(
              'INSERT INTO queue.patient_clinics (tenant_id, patient_id, clinic_id, created_at) VALUES ($1, $2, $3, now())',
              [tenantId, patient.id, clinicId],
            );
            await tx.query(
              `INSERT INTO queue.staff (id, tenant_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
               VALUES ($1, $2, 'Dr. Example', 'doctor@example.org', '{clinician}', $3, now(), now(), 0)`,
              [member.id, tenantId, [clinicId]],
            );
          }
        });
        const before = standIn.requests().length;
        const patientPage = await patients.list(tenantId, { limit: 500 });
        const staffPage = await staff.list(tenantId, { limit: 500 });
        counts.push(standIn.requests().length - before);
        expect(patientPage.items).toHaveLength(size);
        expect(patientPage.items.every((patient) => patient.clinicIds[0] === clinicId)).toBe(true);
        expect(staffPage.items).toHaveLength(size);
      }
      expect(counts).toEqual([2, 2]);
    });

    it('keeps search criteria and token hashes out of URLs', async () => {
      const tenantId = await fixtures.tenant();
      const before = standIn.requests().length;
      await supabasePatientRepository(options()).search(
        tenantId,
        { familyName: 'Uniquename', phone: '+15550100' },
        { limit: 5 },
      );
      await supabaseInvitationRepository(options()).findByTokenHash('a'.repeat(64));
      const sent = standIn.requests().slice(before);
      expect(sent.map((request) => `${request.method} ${request.url.pathname}`)).toEqual([
        'POST /rest/v1/rpc/search_patients',
        'POST /rest/v1/rpc/invitation_by_token_hash',
      ]);
      for (const request of sent) {
        expect(request.url.search).toBe('');
        expect(request.profile).toBe('queue');
      }
      expect(JSON.stringify(sent[0]?.body)).toContain('Uniquename');
    });
  });
}
