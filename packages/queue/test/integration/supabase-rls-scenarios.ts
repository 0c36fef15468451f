import { createAuditLogService } from '@carequeue/audit';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import {
  ClinicId,
  createFakeClock,
  InvitationId,
  PatientId,
  ServiceTypeId,
  StaffId,
  TenantId,
  UserId,
  uuidv7,
} from '@carequeue/core';
import {
  asServiceRole,
  claimsForActor,
  SqlPermissionDeniedError,
  UniqueViolationError,
} from '@carequeue/core/sql';
import type { JwtClaims, SqlExecutor } from '@carequeue/core/sql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  supabaseClinicRepository,
  supabaseInvitationRepository,
  supabaseInvitationUnitOfWork,
  supabasePatientRepository,
  supabaseScheduleRepository,
  supabaseServiceTypeRepository,
  supabaseStaffRepository,
} from '../../src/supabase/index.js';
import {
  createStaffInvitationService,
  InvitationNotUsableError,
  StaleVersionError,
} from '../../src/index.js';
import {
  sampleClinic,
  samplePatient,
  sampleSchedule,
  sampleStaff,
} from '../../src/testing/index.js';
import { auditedActions, seedClinic, staffActor } from './service-fixtures.js';
import { ANON_KEY, jwt, supabaseClient } from './supabase-postgrest.js';
import {
  adminClaims,
  patientClaims,
  receptionistClaims,
  seedTwoTenants,
} from './tenant-fixture.js';
import type { SeededTenant } from './tenant-fixture.js';

function repositoriesAs(claims: JwtClaims | 'anon') {
  const client = supabaseClient(claims === 'anon' ? ANON_KEY : jwt({ ...claims }));
  return {
    clinics: supabaseClinicRepository({ client }),
    serviceTypes: supabaseServiceTypeRepository({ client }),
    staff: supabaseStaffRepository({ client }),
    patients: supabasePatientRepository({ client }),
    schedules: supabaseScheduleRepository({ client }),
    invitations: supabaseInvitationRepository({ client }),
  };
}

async function serviceRows(
  executor: SqlExecutor,
  sql: string,
  params: unknown[],
): Promise<unknown[]> {
  return asServiceRole(executor, async (tx) => (await tx.query(sql, params)).rows);
}

/**
 * Row-level security through the Supabase repositories: requests carry a tenant-A user's JWT and
 * the stand-in runs them under those claims, so the migrations' policies and functions decide.
 * Also the invitation unit of work over Supabase, whose acceptance is one RPC transaction.
 */
export function supabaseRlsScenarios(executor: () => SqlExecutor): void {
  describe('row-level security through the Supabase repositories', () => {
    let a: SeededTenant;
    let b: SeededTenant;
    let tokenHashOf: (t: SeededTenant) => Promise<string>;

    beforeAll(async () => {
      ({ a, b } = await seedTwoTenants(executor()));
      tokenHashOf = async (t) => {
        const [row] = (await serviceRows(
          executor(),
          'SELECT token_hash FROM queue.invitations WHERE tenant_id = $1',
          [t.tenantId],
        )) as { token_hash: string }[];
        return row?.token_hash ?? '';
      };
    });

    it("shows tenant A's admin their own rows and none of tenant B's", async () => {
      const asA = repositoriesAs(adminClaims(a));
      const tenantA = TenantId.parse(a.tenantId);
      const tenantB = TenantId.parse(b.tenantId);
      expect((await asA.clinics.list(tenantA, {})).items).toHaveLength(2);
      expect((await asA.clinics.list(tenantB, {})).items).toEqual([]);
      expect(await asA.clinics.get(tenantB, ClinicId.parse(b.clinicOne))).toBeUndefined();
      expect(
        (await asA.serviceTypes.listByClinic(tenantA, ClinicId.parse(a.clinicOne), {})).items,
      ).toHaveLength(1);
      expect(
        (await asA.serviceTypes.listByClinic(tenantB, ClinicId.parse(b.clinicOne), {})).items,
      ).toEqual([]);
      expect((await asA.staff.list(tenantA, {})).items).toHaveLength(2);
      expect((await asA.staff.list(tenantB, {})).items).toEqual([]);
      expect((await asA.patients.list(tenantA, {})).items).toHaveLength(2);
      expect((await asA.patients.list(tenantB, {})).items).toEqual([]);
      expect(await asA.patients.getMany(tenantB, [PatientId.parse(b.patientOne)])).toEqual([]);
      expect((await asA.patients.search(tenantA, { familyName: 'family' }, {})).items).toHaveLength(
        2,
      );
      expect((await asA.patients.search(tenantB, { familyName: 'Family' }, {})).items).toEqual([]);
      const staffOf = (t: SeededTenant) => StaffId.parse(t.receptionistStaff);
      expect(
        await asA.schedules.get(tenantA, staffOf(a), ClinicId.parse(a.clinicOne)),
      ).toMatchObject({ timeZone: 'Europe/Berlin', weeklyHours: [{ day: 'monday' }] });
      expect(
        await asA.schedules.get(tenantB, staffOf(b), ClinicId.parse(b.clinicOne)),
      ).toBeUndefined();
      expect((await asA.invitations.list(tenantA, {})).items).toHaveLength(1);
      expect((await asA.invitations.list(tenantB, {})).items).toEqual([]);
      expect((await asA.invitations.findByTokenHash(await tokenHashOf(a)))?.tenantId).toBe(tenantA);
      expect(await asA.invitations.findByTokenHash(await tokenHashOf(b))).toBeUndefined();
    });

    it("refuses tenant A's admin every insert into tenant B", async () => {
      const asA = repositoriesAs(adminClaims(a));
      const tenantB = TenantId.parse(b.tenantId);
      const clinicB = ClinicId.parse(b.clinicOne);
      await expect(asA.clinics.insert(sampleClinic(tenantB))).rejects.toThrow(
        SqlPermissionDeniedError,
      );
      await expect(asA.staff.insert(sampleStaff(tenantB, [clinicB]))).rejects.toThrow(
        SqlPermissionDeniedError,
      );
      await expect(asA.patients.insert(samplePatient(tenantB, [clinicB]))).rejects.toThrow(
        SqlPermissionDeniedError,
      );
      await expect(
        asA.serviceTypes.insert({
          id: ServiceTypeId.parse(uuidv7()),
          tenantId: tenantB,
          clinicId: clinicB,
          name: 'Intruder',
          durationMinutes: 15,
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 0,
          active: true,
          createdAt: '2026-03-02T09:00:00.000Z',
          updatedAt: '2026-03-02T09:00:00.000Z',
          version: 0,
        }),
      ).rejects.toThrow(SqlPermissionDeniedError);
      await expect(
        asA.schedules.save(
          sampleSchedule(tenantB, StaffId.parse(b.receptionistStaff), ClinicId.parse(b.clinicTwo)),
        ),
      ).rejects.toThrow(SqlPermissionDeniedError);
      expect(
        await serviceRows(
          executor(),
          `SELECT (SELECT count(*) FROM queue.clinics WHERE tenant_id = $1)::int AS clinics,
                  (SELECT count(*) FROM queue.staff WHERE tenant_id = $1)::int AS staff,
                  (SELECT count(*) FROM queue.patients WHERE tenant_id = $1)::int AS patients,
                  (SELECT count(*) FROM queue.service_types WHERE tenant_id = $1)::int AS types,
                  (SELECT count(*) FROM queue.schedules WHERE tenant_id = $1)::int AS schedules`,
          [b.tenantId],
        ),
      ).toEqual([{ clinics: 2, staff: 2, patients: 2, types: 2, schedules: 2 }]);
    });

    it("changes none of tenant B's rows when tenant A's admin updates them", async () => {
      const asA = repositoriesAs(adminClaims(a));
      const asB = repositoriesAs(adminClaims(b));
      const tenantB = TenantId.parse(b.tenantId);
      const clinic = await asB.clinics.get(tenantB, ClinicId.parse(b.clinicOne));
      const [member] = (await asB.staff.list(tenantB, {})).items;
      const patient = await asB.patients.get(tenantB, PatientId.parse(b.patientOne));
      const [invitation] = (await asB.invitations.list(tenantB, {})).items;
      const schedule = await asB.schedules.get(
        tenantB,
        StaffId.parse(b.receptionistStaff),
        ClinicId.parse(b.clinicOne),
      );
      if (!clinic || !member || !patient || !invitation || !schedule) {
        throw new Error("tenant B's admin must see the seeded rows");
      }
      const next = { version: 1, updatedAt: '2026-03-03T09:00:00.000Z' };
      await expect(asA.clinics.update({ ...clinic, ...next, name: 'Taken' })).rejects.toThrow(
        StaleVersionError,
      );
      await expect(asA.staff.update({ ...member, ...next, displayName: 'X' })).rejects.toThrow(
        StaleVersionError,
      );
      await expect(asA.patients.update({ ...patient, ...next, givenName: 'X' })).rejects.toThrow(
        StaleVersionError,
      );
      await expect(
        asA.invitations.update({ ...invitation, status: 'revoked', version: 1 }),
      ).rejects.toThrow(StaleVersionError);
      await expect(asA.schedules.save({ ...schedule, ...next, timeZone: 'UTC' })).rejects.toThrow(
        StaleVersionError,
      );
      expect(await asB.clinics.get(tenantB, clinic.id)).toEqual(clinic);
      expect(await asB.staff.get(tenantB, member.id)).toEqual(member);
      expect(await asB.patients.get(tenantB, patient.id)).toEqual(patient);
      expect(await asB.invitations.get(tenantB, invitation.id)).toEqual(invitation);
      expect(await asB.schedules.get(tenantB, schedule.staffId, schedule.clinicId)).toEqual(
        schedule,
      );
    });

    it('shows a patient only their own record, clinic staff their clinic and anon nothing', async () => {
      const tenantA = TenantId.parse(a.tenantId);
      const asPatient = repositoriesAs(patientClaims(a));
      expect((await asPatient.patients.list(tenantA, {})).items.map((p) => p.id)).toEqual([
        a.patientOne,
      ]);
      expect((await asPatient.staff.list(tenantA, {})).items).toEqual([]);
      expect((await asPatient.invitations.list(tenantA, {})).items).toEqual([]);
      const asDesk = repositoriesAs(receptionistClaims(a));
      expect((await asDesk.patients.list(tenantA, {})).items.map((p) => p.id)).toEqual([
        a.patientOne,
      ]);
      expect((await asDesk.clinics.list(tenantA, {})).items.map((c) => c.id)).toEqual([
        a.clinicOne,
      ]);
      // anon has no grant on the queue schema at all: PostgREST answers 401 and nothing is read.
      const asAnon = repositoriesAs('anon');
      await expect(asAnon.clinics.list(tenantA, {})).rejects.toThrow(SqlPermissionDeniedError);
      await expect(asAnon.patients.list(tenantA, {})).rejects.toThrow(SqlPermissionDeniedError);
      await expect(asAnon.clinics.insert(sampleClinic(tenantA))).rejects.toThrow(
        SqlPermissionDeniedError,
      );
    });
  });

  describe('StaffInvitationService over the Supabase invitation unit of work', () => {
    function setup() {
      const clock = createFakeClock(Date.UTC(2026, 2, 2, 9));
      const audit = createAuditLogService({
        store: postgresAuditStore({ executor: executor() }),
        clock,
      });
      const service = createStaffInvitationService({
        unitOfWork: supabaseInvitationUnitOfWork({
          clientFor: (actor) => supabaseClient(jwt({ ...claimsForActor(actor) })),
          serviceClient: supabaseClient(),
        }),
        audit,
        clock,
      });
      return { service, clock };
    }

    it('invites under the admin JWT and accepts in one RPC transaction with the audit events', async () => {
      const { service } = setup();
      const { tenantId, clinicId } = await seedClinic(executor());
      const admin = staffActor(tenantId, ['admin']);
      const { invitation, token } = await service.invite(admin, {
        email: 'new@clinic.example',
        roles: ['clinician'],
        clinicIds: [clinicId],
      });
      const member = await service.accept(token, {
        userId: UserId.parse(uuidv7()),
        displayName: 'Dr. Lee',
      });
      expect(member).toMatchObject({ tenantId, roles: ['clinician'], clinicIds: [clinicId] });
      expect(
        await serviceRows(
          executor(),
          'SELECT status, staff_id FROM queue.invitations WHERE id = $1',
          [invitation.id],
        ),
      ).toEqual([{ status: 'accepted', staff_id: member.id }]);
      expect(await auditedActions(executor(), invitation.id)).toEqual([
        'Invitation:create',
        'Invitation:update',
      ]);
      expect(await auditedActions(executor(), member.id)).toEqual(['Staff:create']);
      await expect(
        service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'Again' }),
      ).rejects.toThrow(InvitationNotUsableError);
    });

    it('leaves the invitation pending and writes nothing when a step of the acceptance fails', async () => {
      const { service } = setup();
      const { tenantId, clinicId } = await seedClinic(executor());
      const { invitation, token } = await service.invite(staffActor(tenantId, ['admin']), {
        email: 'new@clinic.example',
        roles: ['receptionist'],
        clinicIds: [clinicId],
      });
      const userId = UserId.parse(uuidv7());
      await asServiceRole(executor(), (tx) =>
        tx.query(
          `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
           VALUES ($1, $2, $3, 'Existing', 'existing@example.org', '{clinician}', '{}', now(), now(), 0)`,
          [uuidv7(), tenantId, userId],
        ),
      );
      await expect(service.accept(token, { userId, displayName: 'Twice' })).rejects.toThrow(
        UniqueViolationError,
      );
      expect(
        await serviceRows(
          executor(),
          'SELECT status, version FROM queue.invitations WHERE id = $1',
          [invitation.id],
        ),
      ).toEqual([{ status: 'pending', version: 0 }]);
      expect(
        await serviceRows(
          executor(),
          'SELECT count(*)::int AS n FROM queue.staff WHERE tenant_id = $1',
          [tenantId],
        ),
      ).toEqual([{ n: 1 }]);
      expect(await auditedActions(executor(), invitation.id)).toEqual(['Invitation:create']);
    });

    it('refuses an admin of another tenant revoking the invitation and a stale commit', async () => {
      const { service } = setup();
      const home = await seedClinic(executor());
      const away = await seedClinic(executor());
      const admin = staffActor(home.tenantId, ['admin']);
      const { invitation } = await service.invite(admin, {
        email: 'new@clinic.example',
        roles: ['clinician'],
        clinicIds: [],
      });
      await expect(
        service.revoke(staffActor(away.tenantId, ['admin']), invitation.id),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(service.revoke(admin, InvitationId.parse(uuidv7()))).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      // Another writer bumps the version between the unit's read and its commit.
      const unitOfWork = supabaseInvitationUnitOfWork({
        clientFor: (actor) => supabaseClient(jwt({ ...claimsForActor(actor) })),
        serviceClient: supabaseClient(),
      });
      await expect(
        unitOfWork.run(admin, async (scope) => {
          const current = await scope.invitations.get(home.tenantId, invitation.id);
          await asServiceRole(executor(), (tx) =>
            tx.query('UPDATE queue.invitations SET version = version + 1 WHERE id = $1', [
              invitation.id,
            ]),
          );
          if (current) await scope.invitations.update({ ...current, version: current.version + 1 });
        }),
      ).rejects.toThrow(StaleVersionError);
    });
  });
}
