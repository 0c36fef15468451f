import { TenantId, UserId, uuidv7 } from '@carequeue/core';
import { asServiceRole, UniqueViolationError, type SqlExecutor } from '@carequeue/core/sql';
import { useTestPglite } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { sqlInvitationUnitOfWork } from '../../src/postgres/index.js';
import {
  ClinicNotInTenantError,
  createStaffInvitationService,
  hashInvitationToken,
  InvitationNotUsableError,
} from '../../src/index.js';
import { auditedActions, seedClinic, serviceDependencies, staffActor } from './service-fixtures.js';

async function rowsOf(executor: SqlExecutor, sql: string, params: unknown[]): Promise<unknown[]> {
  return asServiceRole(executor, async (tx) => (await tx.query(sql, params)).rows);
}

describe('StaffInvitationService on PGlite', () => {
  const pglite = useTestPglite();

  function setup() {
    const { executor, audit, clock } = serviceDependencies(pglite.db);
    const service = createStaffInvitationService({
      unitOfWork: sqlInvitationUnitOfWork({ executor }),
      audit,
      clock,
    });
    return { executor, clock, service };
  }

  it('commits the staff row, the accepted invitation and both audit events in one transaction', async () => {
    const { executor, service } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const admin = staffActor(tenantId, ['admin']);
    const { invitation, token } = await service.invite(admin, {
      email: 'new@clinic.example',
      roles: ['clinician'],
      clinicIds: [clinicId],
    });
    const userId = UserId.parse(uuidv7());
    const member = await service.accept(token, { userId, displayName: 'Dr. Lee' });
    expect(member).toMatchObject({ tenantId, userId, roles: ['clinician'], clinicIds: [clinicId] });
    expect(
      await rowsOf(executor, 'SELECT status, staff_id FROM queue.invitations WHERE id = $1', [
        invitation.id,
      ]),
    ).toEqual([{ status: 'accepted', staff_id: member.id }]);
    expect(await auditedActions(executor, invitation.id)).toEqual([
      'Invitation:create',
      'Invitation:update',
    ]);
    expect(await auditedActions(executor, member.id)).toEqual(['Staff:create']);
    const trail = JSON.stringify(
      await rowsOf(executor, 'SELECT * FROM audit.events WHERE tenant_id = $1', [tenantId]),
    );
    expect(trail).not.toContain(token);
    expect(trail).not.toContain(hashInvitationToken(token));
    await expect(
      service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'Again' }),
    ).rejects.toThrow(InvitationNotUsableError);
  });

  it('changes nothing when a step of the acceptance fails after the invitation was updated', async () => {
    const { executor, service } = setup();
    const { tenantId, clinicId } = await seedClinic(executor);
    const { invitation, token } = await service.invite(staffActor(tenantId, ['admin']), {
      email: 'new@clinic.example',
      roles: ['receptionist'],
      clinicIds: [clinicId],
    });
    // The account is already a staff member of the tenant: the staff insert, which runs after
    // the invitation is marked accepted, violates UNIQUE (tenant_id, user_id).
    const userId = UserId.parse(uuidv7());
    await asServiceRole(executor, (tx) =>
      tx.query(
        `INSERT INTO queue.staff (id, tenant_id, user_id, display_name, email, roles, clinic_ids, created_at, updated_at, version)
         VALUES ($1, $2, $3, 'Existing', 'existing@example.org', '{clinician}', '{}', now(), now(), 0)`,
        [uuidv7(), tenantId, userId],
      ),
    );
    const before = await rowsOf(executor, 'SELECT * FROM queue.invitations WHERE id = $1', [
      invitation.id,
    ]);
    await expect(service.accept(token, { userId, displayName: 'Twice' })).rejects.toThrow(
      UniqueViolationError,
    );
    expect(
      await rowsOf(executor, 'SELECT * FROM queue.invitations WHERE id = $1', [invitation.id]),
    ).toEqual(before);
    expect(before).toMatchObject([{ status: 'pending', version: 0 }]);
    expect(
      await rowsOf(executor, 'SELECT count(*)::int AS n FROM queue.staff WHERE tenant_id = $1', [
        tenantId,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(await auditedActions(executor, invitation.id)).toEqual(['Invitation:create']);
  });

  it('marks an expired invitation expired with an audit and refuses it', async () => {
    const { executor, clock, service } = setup();
    const { tenantId } = await seedClinic(executor);
    const { invitation, token } = await service.invite(staffActor(tenantId, ['admin']), {
      email: 'new@clinic.example',
      roles: ['clinician'],
      clinicIds: [],
    });
    clock.set(Date.parse(invitation.expiresAt));
    await expect(
      service.accept(token, { userId: UserId.parse(uuidv7()), displayName: 'Late' }),
    ).rejects.toThrow(InvitationNotUsableError);
    expect(
      await rowsOf(executor, 'SELECT status FROM queue.invitations WHERE id = $1', [invitation.id]),
    ).toEqual([{ status: 'expired' }]);
    expect(await auditedActions(executor, invitation.id)).toEqual([
      'Invitation:create',
      'Invitation:update',
    ]);
  });

  it('refuses a clinic of another tenant and writes nothing when inviting', async () => {
    const { executor, service } = setup();
    const home = await seedClinic(executor);
    const away = await seedClinic(executor);
    await expect(
      service.invite(staffActor(home.tenantId, ['admin']), {
        email: 'new@clinic.example',
        roles: ['clinician'],
        clinicIds: [home.clinicId, away.clinicId],
      }),
    ).rejects.toThrow(ClinicNotInTenantError);
    expect(
      await rowsOf(executor, 'SELECT id FROM queue.invitations WHERE tenant_id = $1', [
        home.tenantId,
      ]),
    ).toEqual([]);
    const stranger = staffActor(TenantId.parse(away.tenantId), ['admin']);
    expect((await service.list(stranger, {})).items).toEqual([]);
  });
});
